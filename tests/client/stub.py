"""A stub Cloud Manager on 127.0.0.1 (a free port): canned answers the emulator never gives.

Real programs hold data our emulator never produces (issue 9): values outside the spec's enums,
objects other tools made, missing optional parts. The client tests serve such bodies from here,
through a real socket, and read them with the real client.
"""

from __future__ import annotations

import json
import threading
from collections import deque
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

TOKEN = "stub-access-token"
TOKEN_PATH = "/ims/token/v3"


@dataclass(frozen=True)
class Answer:
    """One canned answer: a status, a body (JSON unless bytes) and headers."""

    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)

    def response(self) -> Response:
        if isinstance(self.body, bytes):
            return Response(self.body, self.status, self.headers, content_type="text/html")
        text = "" if self.body is None else json.dumps(self.body)
        return Response(text, self.status, self.headers, content_type="application/json")


class _QuietHandler(WSGIRequestHandler):
    def log(self, type: str, message: str, *args: Any) -> None:
        """No access lines on the test output."""


class StubCloudManager:
    """Answers IMS token requests, then each route's canned answers in turn (the last repeats)."""

    def __init__(self) -> None:
        self._answers: dict[tuple[str, str], deque[Answer]] = {}
        self._lock = threading.Lock()
        self.received: list[tuple[str, str]] = []  # (method, path) of every API call
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "the stub is not started"
        return f"http://127.0.0.1:{self._server.server_port}"

    def answer(self, method: str, path: str, *answers: Answer) -> None:
        """Answer `method path` with `answers`, one per call; the last one for every later call."""
        with self._lock:
            self._answers[method, path] = deque(answers)

    def reset(self) -> None:
        """No canned answers, no calls received."""
        with self._lock:
            self._answers.clear()
            self.received.clear()

    def _app(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        return self._respond(request.method, request.path)(environ, start_response)

    def _respond(self, method: str, path: str) -> Response:
        if (method, path) == ("POST", TOKEN_PATH):
            return Answer(body={"access_token": TOKEN, "expires_in": 86399}).response()
        with self._lock:
            self.received.append((method, path))
            queue = self._answers.get((method, path))
            if not queue:
                return Answer(
                    404, {"status": 404, "title": f"no stub for {method} {path}"}
                ).response()
            answer = queue.popleft() if len(queue) > 1 else queue[0]
        return answer.response()

    def __enter__(self) -> StubCloudManager:
        self._server = make_server(
            "127.0.0.1", 0, self._app, threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None and self._thread is not None
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
