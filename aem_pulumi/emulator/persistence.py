"""SQLite persistence of the state: one JSON document per record, keyed `collection/id`."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from aem_pulumi.emulator.records import State


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating if needed) the state file; used under the store's lock only."""
    connection = sqlite3.connect(path, check_same_thread=False)
    with connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS documents (key TEXT PRIMARY KEY, body TEXT NOT NULL)"
        )
    return connection


def read_documents(connection: sqlite3.Connection) -> dict[str, str]:
    """Every stored document by key."""
    rows = connection.execute("SELECT key, body FROM documents").fetchall()
    return {str(key): str(body) for key, body in rows}


def write_changes(
    connection: sqlite3.Connection, saved: dict[str, str], documents: dict[str, str]
) -> None:
    """Store the documents that differ from `saved` and drop the gone ones, in one transaction."""
    changed = [(k, v) for k, v in documents.items() if saved.get(k) != v]
    removed = [(k,) for k in saved.keys() - documents.keys()]
    if not changed and not removed:
        return
    with connection:
        connection.executemany("DELETE FROM documents WHERE key = ?", removed)
        connection.executemany(
            "INSERT OR REPLACE INTO documents (key, body) VALUES (?, ?)", changed
        )


_COLLECTIONS = ("programs", "environments", "infrastructures", "tokens")


def documents_of(state: State) -> dict[str, str]:
    """The state as `collection/id` → JSON documents, plus the id counter."""
    documents = {"meta/next_id": json.dumps(state.next_id)}
    for collection in _COLLECTIONS:
        records: dict[str, BaseModel] = getattr(state, collection)
        for key, record in records.items():
            documents[f"{collection}/{key}"] = record.model_dump_json()
    return documents


def state_from(documents: dict[str, str]) -> State:
    """Rebuild the state from its documents."""
    raw: dict[str, Any] = {collection: {} for collection in _COLLECTIONS}
    for key, body in documents.items():
        collection, _, record_id = key.partition("/")
        if collection == "meta":
            raw[record_id] = json.loads(body)
        else:
            raw[collection][record_id] = json.loads(body)
    return State.model_validate(raw)
