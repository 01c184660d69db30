"""`EmulatorServer`: the emulator on a real socket, served from a background thread."""

from __future__ import annotations

import functools
import logging
import threading
from pathlib import Path
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from aem_pulumi.emulator.app import create_app
from aem_pulumi.emulator.context import Emulator
from aem_pulumi.emulator.faults import FaultRegistry
from aem_pulumi.emulator.request_log import RequestLog
from aem_pulumi.emulator.store import Store
from aem_pulumi.emulator.timings import Timings

_logger = logging.getLogger("aem_pulumi.emulator")
BUSY_STATUSES = (409, 400)
_POLL_INTERVAL = 0.1  # seconds; how long stop() may wait for the serving loop to notice


class _RequestHandler(WSGIRequestHandler):
    """werkzeug's handler, logging through `aem_pulumi.emulator` instead of stderr."""

    def log(self, type: str, message: str, *args: Any) -> None:
        """Send werkzeug's error lines to the package logger."""
        level = logging.ERROR if type == "error" else logging.INFO
        _logger.log(level, "%s " + message, self.address_string(), *args)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """One access line per call, without werkzeug's terminal colours."""
        _logger.info('%s "%s" %s', self.address_string(), self.requestline, code)


class EmulatorServer:
    """The Cloud Manager API and IMS emulator on `host:port` (0 picks a free port)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        state: str | Path | None = None,
        timings: Timings | None = None,
        busy_status: int = 409,
        token_ttl: float = 86399,
    ) -> None:
        if busy_status not in BUSY_STATUSES:
            raise ValueError(f"busy_status must be 409 or 400, not {busy_status}")
        self.host, self.port = host, port
        self.state = None if state is None else Path(state)
        self.timings = timings or Timings()
        self.busy_status, self.token_ttl = busy_status, float(token_ttl)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._store: Store | None = None

    @property
    def url(self) -> str:
        """The base URL of the API and IMS, e.g. `http://127.0.0.1:41234`."""
        if self._server is None:
            raise RuntimeError("the emulator is not started")
        return f"http://{self.host}:{self._server.server_port}"

    def start(self) -> EmulatorServer:
        """Open the state, bind the socket and serve in a daemon thread."""
        self._store = Store(self.state)
        emulator = Emulator(
            store=self._store,
            faults=FaultRegistry(),
            log=RequestLog(),
            default_timings=self.timings,
            timings=self.timings,
            busy_status=self.busy_status,
            token_ttl=self.token_ttl,
        )
        app = create_app(emulator)
        self._server = make_server(
            self.host, self.port, app, threaded=True, request_handler=_RequestHandler
        )
        serve = functools.partial(self._server.serve_forever, poll_interval=_POLL_INTERVAL)
        self._thread = threading.Thread(target=serve, name="aem-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the state."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        if self._store is not None:
            self._store.close()
        self._server = self._thread = self._store = None

    def __enter__(self) -> EmulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()
