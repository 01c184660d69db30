"""The Flask application: shared context, error bodies, request hooks and JSON helpers."""

from __future__ import annotations

import json
import logging
import math
import socket
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from flask import Flask, Response, current_app, g, request
from pydantic import TypeAdapter, ValidationError
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response as BaseResponse

from aem_pulumi.emulator.faults import Fault, FaultRegistry, FaultSpec
from aem_pulumi.emulator.store import PendingOperation, RequestLog, Store
from aem_pulumi.emulator.timings import OperationName, Timings
from aem_pulumi.models.base import HalLink
from aem_pulumi.models.errors import BadRequestError, InvalidParameter, MissingParameter

T = TypeVar("T")

_logger = logging.getLogger("aem_pulumi.emulator")
_EXTENSION = "aem_pulumi_emulator"
CONTROL_PREFIX = "/__emulator/"
_SERVED_PREFIXES = ("/api/", "/ims/")
_FAULT_TITLES = {429: "Too many requests", 500: "Internal server error"}


@dataclass
class Emulator:
    """What every handler shares: the state, faults, request log and options."""

    store: Store
    faults: FaultRegistry
    log: RequestLog
    default_timings: Timings
    timings: Timings
    busy_status: int = 409
    token_ttl: float = 86399.0


def current() -> Emulator:
    """The emulator serving the current request."""
    return cast(Emulator, current_app.extensions[_EXTENSION])


class ApiError(Exception):
    """An error answer: the handler stops and the client gets `status`, `body` and `headers`."""

    def __init__(
        self, status: int, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}


def error_body(
    status: int,
    title: str,
    invalid: Iterable[tuple[str, str]] = (),
    missing: Iterable[str] = (),
) -> dict[str, Any]:
    """A `BadRequestError` body."""
    error = BadRequestError(
        status=status,
        title=title,
        invalid_params=[InvalidParameter(name=n, reason=r) for n, r in invalid],
        missing_params=[MissingParameter(name=name) for name in missing],
    )
    return error.to_api()


def bad_request(
    title: str,
    *,
    invalid: Iterable[tuple[str, str]] = (),
    missing: Iterable[str] = (),
    status: int = 400,
) -> ApiError:
    """A 400 (or `status`) error with a `BadRequestError` body."""
    return ApiError(status, error_body(status, title, invalid, missing))


def not_found(title: str) -> ApiError:
    """A 404 error with a `BadRequestError` body."""
    return bad_request(title, status=404)


def param_name(location: Sequence[int | str]) -> str:
    """A pydantic error location as the API names parameters: `portForwards[1].portOrig`."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else part
    return name or "body"


def validation_failed(error: ValidationError) -> ApiError:
    """A 400 listing each field pydantic rejected (missing ones under `missingParams`)."""
    invalid: list[tuple[str, str]] = []
    missing: list[str] = []
    for item in error.errors(include_url=False):
        name = param_name(item["loc"])
        if item["type"] == "missing":
            missing.append(name)
        else:
            invalid.append((name, item["msg"]))
    return bad_request("Validation failed", invalid=invalid, missing=missing)


def read_body(kind: type[T]) -> T:
    """The JSON request body parsed as `kind`; 415 unless JSON, 400 when invalid."""
    if not request.is_json:
        raise bad_request("Content-Type must be application/json", status=415)
    body = request.get_json(silent=True)
    if body is None:
        raise bad_request("Request body is missing or not valid JSON")
    try:
        return TypeAdapter(kind).validate_python(body)
    except ValidationError as error:
        raise validation_failed(error) from error


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """A JSON answer."""
    return Response(json.dumps(body), status, headers, mimetype="application/json")


def link(href: str) -> HalLink:
    """A HAL link to `href`."""
    return HalLink(href=href)


def hal_list(plural: str, items: list[dict[str, Any]], self_href: str) -> dict[str, Any]:
    """A HAL list: `_totalNumberOfItems`, `_embedded.<plural>` and a self link."""
    return {
        "_totalNumberOfItems": len(items),
        "_embedded": {plural: items},
        "_links": {"self": {"href": self_href}},
    }


def start_operation(
    name: OperationName,
    now: float,
    *,
    vpn: bool = False,
    previous: dict[str, Any] | None = None,
) -> PendingOperation:
    """An operation starting `now` with the configured duration; a `fail` fault fails it."""
    emulator = current()
    fails = emulator.faults.take_failure(name, request.method, request.path)
    if fails:
        g.fault = "fail"
    ends = now + emulator.timings.duration(name, vpn=vpn)
    return PendingOperation(name=name, started=now, ends=ends, fails=fails, previous=previous)


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
    return json_response(error.body, error.status, error.headers)


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


def create_app(emulator: Emulator) -> Flask:
    """The emulator's Flask application: the API, IMS and the control plane."""
    # Imported here because the route modules import the helpers above (Flask's app factory idiom).
    from aem_pulumi.emulator import (
        advanced_networking,
        auth,
        control,
        environments,
        network,
        programs,
        variables,
    )

    app = Flask("aem_pulumi.emulator")
    app.extensions[_EXTENSION] = emulator
    app.before_request(_apply_faults)  # first, so faults come before authentication
    for module in (auth, programs, environments, network, advanced_networking, variables):
        app.register_blueprint(module.blueprint)
    app.register_blueprint(control.blueprint, url_prefix=CONTROL_PREFIX.rstrip("/"))
    app.after_request(_finish)
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app
