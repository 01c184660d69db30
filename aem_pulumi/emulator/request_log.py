"""The log of API and IMS calls the control plane shows (kept in memory, never persisted)."""

from __future__ import annotations

import threading
import time
from typing import Any


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
