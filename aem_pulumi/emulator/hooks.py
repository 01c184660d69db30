"""Request hooks: injected faults first, then `x-request-id` and the request log; error answers."""

from __future__ import annotations

import logging
import math
import socket
import uuid

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import ApiError, error_body
from aem_pulumi.emulator.faults import Fault, FaultSpec
from aem_pulumi.emulator.wire import json_response

_logger = logging.getLogger("aem_pulumi.emulator")
_SERVED_PREFIXES = ("/api/", "/ims/")
_FAULT_TITLES = {429: "Too many requests", 500: "Internal server error"}


def install_first(app: Flask) -> None:
    """The hook that must run before any other: faults come before authentication."""
    app.before_request(_apply_faults)


def install_last(app: Flask) -> None:
    """The hooks after every call, and the error answers."""
    app.after_request(_finish)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)


def _is_served(path: str) -> bool:
    """Whether a path is an API or IMS call (logged and subject to faults)."""
    return path.startswith(_SERVED_PREFIXES)


def _apply_faults() -> Response | None:
    """Before an API or IMS call: answer an armed `http` fault, or drop the connection."""
    if not _is_served(request.path):
        return None
    fault = current().faults.take(("http", "drop"), request.method, request.path)
    if fault is None:
        return None
    g.fault = fault.spec.kind
    if fault.spec.kind == "drop":
        return _drop_connection()
    return _fault_response(fault)


def _drop_connection() -> Response:
    """Read the request, then close the socket so the client gets no answer at all."""
    request.get_data()
    connection = request.environ.get("werkzeug.socket")
    if isinstance(connection, socket.socket):
        connection.shutdown(socket.SHUT_RDWR)
    # Writing this answer to the closed socket fails; werkzeug treats that as a dropped client.
    return Response(status=500)


def _fault_response(fault: Fault) -> Response:
    """The answer of an `http` fault, with `Retry-After` when asked (always for 429)."""
    spec: FaultSpec = fault.spec
    status = spec.status or 503
    retry_after = spec.retry_after
    if retry_after is None and status == 429:
        retry_after = 1.0
    headers = {} if retry_after is None else {"Retry-After": str(math.ceil(retry_after))}
    title = _FAULT_TITLES.get(status, "System under maintenance")
    return json_response(error_body(status, f"{title} (injected fault)"), status, headers)


def _finish(response: Response) -> Response:
    """After every call: add `x-request-id`, and log API and IMS calls."""
    response.headers["x-request-id"] = str(uuid.uuid4())
    if _is_served(request.path):
        fault = g.get("fault")
        status = None if fault == "drop" else response.status_code
        current().log.append(request.method, request.path, status, fault)
    return response


def _api_error(error: ApiError) -> Response:
    """The answer of an `ApiError`."""
    return json_response(error.body, error.status, error.headers, error.content_type)


def _http_error(error: HTTPException) -> BaseResponse:
    """Flask's own errors (unknown path, wrong method) as `BadRequestError` bodies."""
    code = error.code or 500
    if code < 400:
        return error.get_response()
    return json_response(error_body(code, error.name), code)


def _unexpected_error(error: Exception) -> Response:
    """A bug: log it and answer 500."""
    _logger.exception("unexpected error", exc_info=error)
    return json_response(error_body(500, "Internal server error"), 500)
