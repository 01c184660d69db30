"""The state behind one lock: each request is one transaction, committed to SQLite if asked."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from aem_pulumi.emulator import persistence
from aem_pulumi.emulator.lifecycles import settle
from aem_pulumi.emulator.records import State
from aem_pulumi.emulator.seed import seed_state


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
        self._db = persistence.open_database(path) if path is not None else None
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
                self._state = persistence.state_from(self._saved)
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
        saved = persistence.read_documents(self._db) if self._db is not None else {}
        if not saved:
            return self._seed()
        self._saved = saved
        return persistence.state_from(saved)

    def _commit(self) -> None:
        """Write the documents that changed since the last commit."""
        documents = persistence.documents_of(self._state)
        if self._db is not None:
            persistence.write_changes(self._db, self._saved, documents)
        self._saved = documents
