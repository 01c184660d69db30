"""The emulator's state: records, their status lifecycles, one lock and SQLite persistence.

Statuses are computed from the wall clock and the start and end times stored with each
operation, so an operation under way when the process died ends on time after a restart.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, Field

from aem_pulumi.emulator.timings import OperationName
from aem_pulumi.models.advanced_networking import PortForward
from aem_pulumi.models.network import Kind
from aem_pulumi.models.variables import Service, VariableType

READY, FAILED, UPDATING = "ready", "failed", "updating"
CREATING, DELETING = "creating", "deleting"
FIRST_GENERATED_ID = 30001

# The status an infrastructure shows while each operation is under way.
INFRASTRUCTURE_PENDING: dict[str, str] = {
    "infrastructure_create": CREATING,
    "infrastructure_update": UPDATING,
    "infrastructure_delete": DELETING,
}


class PendingOperation(BaseModel):
    """An asynchronous operation under way: it ends at `ends` (epoch seconds), failed if `fails`."""

    name: OperationName
    started: float
    ends: float
    fails: bool = False
    previous: dict[str, Any] | None = None
    """What a failure rolls back to (networking or VPN settings), None for nothing."""


class ProgramRecord(BaseModel):
    """A program: its regions and whether it is a sandbox."""

    id: str
    name: str
    regions: list[str]
    sandbox: bool = False


class NetworkingRecord(BaseModel):
    """An environment's advanced networking configuration (present = enabled)."""

    non_proxy_hosts: list[str] = Field(default_factory=list)
    port_forwards: list[PortForward] = Field(default_factory=list)


class VariableRecord(BaseModel):
    """An environment variable; `pending` is its status while a PATCH is being applied."""

    name: str
    service: Service | None = None
    type: VariableType = "string"
    value: str = Field(default="", repr=False)
    status: str = READY
    pending: str | None = None


class EnvironmentRecord(BaseModel):
    """An environment with its advanced networking, variables and operation under way."""

    id: str
    program_id: str
    name: str
    type: str
    region: str
    status: str = READY
    busy_until: float = 0.0
    networking: NetworkingRecord | None = None
    variables: list[VariableRecord] = Field(default_factory=list)
    operation: PendingOperation | None = None


class InfrastructureRecord(BaseModel):
    """A network infrastructure; `settings` holds the VPN fields in their wire form."""

    id: str
    program_id: str
    kind: Kind
    region: str
    is_primary_region: bool
    created: float
    updated: float
    status: str = READY
    settings: dict[str, Any] = Field(default_factory=dict)
    status_details: dict[str, Any] | None = None
    operation: PendingOperation | None = None


class TokenRecord(BaseModel):
    """An issued access token (stored by digest), valid until `expires`."""

    client_id: str
    expires: float


class State(BaseModel):
    """Everything the API serves; persisted one document per record."""

    programs: dict[str, ProgramRecord] = Field(default_factory=dict)
    environments: dict[str, EnvironmentRecord] = Field(default_factory=dict)
    infrastructures: dict[str, InfrastructureRecord] = Field(default_factory=dict)
    tokens: dict[str, TokenRecord] = Field(default_factory=dict)
    next_id: int = FIRST_GENERATED_ID

    def new_id(self, taken: dict[str, Any]) -> str:
        """A fresh id, not a key of `taken`."""
        while str(self.next_id) in taken:
            self.next_id += 1
        self.next_id += 1
        return str(self.next_id - 1)


def seed_state() -> State:
    """Program 10001 `wknd` (va7, nld2) with ready environments dev, stage and prod in va7."""
    state = State()
    state.programs["10001"] = ProgramRecord(id="10001", name="wknd", regions=["va7", "nld2"])
    for env_id, env_type in (("20001", "dev"), ("20002", "stage"), ("20003", "prod")):
        state.environments[env_id] = EnvironmentRecord(
            id=env_id, program_id="10001", name=env_type, type=env_type, region="va7"
        )
    return state


def environment_status(env: EnvironmentRecord, now: float) -> str:
    """The status an environment shows at `now`."""
    if (env.operation is not None and now < env.operation.ends) or now < env.busy_until:
        return UPDATING
    return env.status


def infrastructure_status(infra: InfrastructureRecord, now: float) -> str:
    """The status an infrastructure shows at `now`."""
    operation = infra.operation
    if operation is not None and now < operation.ends:
        return INFRASTRUCTURE_PENDING[operation.name]
    return infra.status


def settle(state: State, now: float) -> None:
    """Apply the end of every operation whose time has come."""
    for env in state.environments.values():
        _settle_environment(env, now)
    for infra in list(state.infrastructures.values()):
        _settle_infrastructure(state, infra, now)


def _settle_environment(env: EnvironmentRecord, now: float) -> None:
    """End an environment's operation: ready, or failed with the networking rolled back."""
    operation = env.operation
    if operation is None or now < operation.ends:
        return
    env.operation = None
    if operation.name == "variables_update":
        _settle_variables(env, fails=operation.fails)
        env.status = READY
    elif operation.fails:
        previous = operation.previous
        env.networking = None if previous is None else NetworkingRecord.model_validate(previous)
        env.status = FAILED
    else:
        env.status = READY


def _settle_variables(env: EnvironmentRecord, *, fails: bool) -> None:
    """End a variables update: ready or removed, or `failed` for every variable it touched."""
    kept: list[VariableRecord] = []
    for variable in env.variables:
        pending, variable.pending = variable.pending, None
        if pending is not None and fails:
            variable.status = FAILED
        elif pending == DELETING:
            continue
        elif pending is not None:
            variable.status = READY
        kept.append(variable)
    env.variables = kept


def _settle_infrastructure(state: State, infra: InfrastructureRecord, now: float) -> None:
    """End an infrastructure's operation: ready, gone (deleted) or failed."""
    operation = infra.operation
    if operation is None or now < operation.ends:
        return
    infra.operation = None
    infra.updated = operation.ends
    if operation.fails:
        _fail_infrastructure(infra, operation)
    elif operation.name == "infrastructure_delete":
        del state.infrastructures[infra.id]
    else:
        infra.status = READY
        infra.status_details = None


def _fail_infrastructure(infra: InfrastructureRecord, operation: PendingOperation) -> None:
    """Mark an infrastructure failed, rolling back the settings a failed update changed."""
    if operation.previous is not None:
        infra.settings = operation.previous
    infra.status = FAILED
    verb = operation.name.removeprefix("infrastructure_")
    infra.status_details = {
        "errorCode": f"NETWORK_INFRASTRUCTURE_{verb.upper()}_FAILED",
        "message": f"Network infrastructure {infra.id}: {verb} failed (injected fault)",
    }


@dataclass
class Transaction:
    """The state as one request sees it, at one instant `now`."""

    state: State
    now: float

    def settle(self) -> None:
        """Apply operations that end by `now` (after a write whose duration is 0)."""
        settle(self.state, self.now)


class Store:
    """The state behind one lock; every accepted write is committed to SQLite when a path is set."""

    def __init__(self, path: Path | None, seed: Callable[[], State] = seed_state) -> None:
        self._lock = threading.RLock()
        self._seed = seed
        self._db = _open_database(path) if path is not None else None
        self._saved: dict[str, str] = {}
        self._state = self._load()
        self._commit()

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Lock, settle, yield the state; commit on success, roll back on any exception."""
        with self._lock:
            transaction = Transaction(self._state, time.time())
            transaction.settle()
            try:
                yield transaction
            except BaseException:
                self._state = _state_from(self._saved)
                raise
            self._commit()

    def reset(self) -> None:
        """Back to the seed; issued tokens stay valid."""
        with self._lock:
            tokens = self._state.tokens
            self._state = self._seed()
            self._state.tokens = tokens
            self._commit()

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def _load(self) -> State:
        """The persisted state, or the seed when there is none."""
        saved = _read_documents(self._db) if self._db is not None else {}
        if not saved:
            return self._seed()
        self._saved = saved
        return _state_from(saved)

    def _commit(self) -> None:
        """Write the documents that changed since the last commit, in one SQLite transaction."""
        documents = _documents(self._state)
        changed = [(k, v) for k, v in documents.items() if self._saved.get(k) != v]
        removed = [(k,) for k in self._saved.keys() - documents.keys()]
        if self._db is not None and (changed or removed):
            with self._db:
                self._db.executemany("DELETE FROM documents WHERE key = ?", removed)
                self._db.executemany(
                    "INSERT OR REPLACE INTO documents (key, body) VALUES (?, ?)", changed
                )
        self._saved = documents


def _open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the state file; used under the store's lock only."""
    connection = sqlite3.connect(path, check_same_thread=False)
    with connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )
    return connection


def _read_documents(connection: sqlite3.Connection) -> dict[str, str]:
    """Every stored document by key."""
    rows = connection.execute("SELECT key, body FROM documents").fetchall()
    return {str(key): str(body) for key, body in rows}


_COLLECTIONS = ("programs", "environments", "infrastructures", "tokens")


def _documents(state: State) -> dict[str, str]:
    """The state as `collection/id` → JSON documents, plus the id counter."""
    documents = {"meta/next_id": json.dumps(state.next_id)}
    for collection in _COLLECTIONS:
        records: dict[str, BaseModel] = getattr(state, collection)
        for key, record in records.items():
            documents[f"{collection}/{key}"] = record.model_dump_json()
    return documents


def _state_from(documents: dict[str, str]) -> State:
    """Rebuild the state from its documents."""
    raw: dict[str, Any] = {collection: {} for collection in _COLLECTIONS}
    for key, body in documents.items():
        collection, _, record_id = key.partition("/")
        if collection == "meta":
            raw[record_id] = json.loads(body)
        else:
            raw[collection][record_id] = json.loads(body)
    return State.model_validate(raw)


class RequestLog:
    """The API and IMS calls received, in order (not persisted)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []

    def append(self, method: str, path: str, status: int | None, fault: str | None) -> None:
        """Record one call; `status` is None when the connection was dropped."""
        entry = {"method": method, "path": path, "status": status, "time": time.time()}
        with self._lock:
            self._entries.append({**entry, "fault": fault})

    def entries(self) -> list[dict[str, Any]]:
        """A copy of the log."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        """Forget every call."""
        with self._lock:
            self._entries.clear()
