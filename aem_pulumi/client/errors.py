"""One exception hierarchy for every Cloud Manager failure, built in one place from the response."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import requests
import urllib3

from aem_pulumi.models.errors import InvalidParameter

REDACTED = "[redacted]"


class CloudManagerError(Exception):
    """Base of every error the client raises."""


class ConfigurationError(CloudManagerError):
    """A required setting (credential, URL) is missing or malformed."""


class APIConnectionError(CloudManagerError):
    """The request got no HTTP answer (refused, reset, timed out)."""

    def __init__(self, message: str, *, method: str, path: str, sent: bool) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.sent = sent  # False only when the request surely never reached the server


class UnreadableResponseError(CloudManagerError):
    """A 2xx answer whose body cannot be read: not JSON, or a needed field missing or unusable."""

    def __init__(
        self, message: str, *, method: str, path: str, field: str, request_id: str | None
    ) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.field = field  # where in the body, e.g. `_embedded.variables[0].name`
        self.request_id = request_id


class APIError(CloudManagerError):
    """An HTTP error answer: status, title, invalid parameters and the `x-request-id`."""

    def __init__(
        self,
        message: str,
        *,
        status: int,
        title: str,
        invalid_params: list[InvalidParameter],
        request_id: str | None,
        method: str,
        path: str,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.invalid_params = invalid_params
        self.request_id = request_id
        self.method = method
        self.path = path
        self.retry_after: float | None = None  # the `Retry-After` header (429, 503), if any


class ValidationError(APIError):
    """400/422: the API refused the request's content."""


class AuthenticationError(APIError):
    """401/403: the token, API key or organisation was refused."""


class NotFoundError(APIError):
    """404: the program, environment or object does not exist."""


class ConflictError(APIError):
    """409: the object is busy or in a state that forbids the change."""


class RateLimitError(APIError):
    """429: too many requests; `retry_after` seconds when the API said so."""


class ServerError(APIError):
    """5xx: the service failed; retryable."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: ValidationError,
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    409: ConflictError,
    422: ValidationError,
    429: RateLimitError,
}


def make_error(
    response: requests.Response, *, method: str, path: str, sensitive: Iterable[str] = ()
) -> APIError:
    """Build the typed error for an HTTP error response, whatever body shape Adobe used."""
    status = response.status_code
    title, params = _parse_body(_json_or_none(response), response.reason or "")
    request_id = response.headers.get("x-request-id")
    message = redact(_message(method, path, status, title, params, request_id), sensitive)
    cls = _BY_STATUS.get(status, ServerError if status >= 500 else APIError)
    error = cls(
        message,
        status=status,
        title=redact(title, sensitive),
        invalid_params=[
            InvalidParameter(name=p.name, reason=redact(p.reason, sensitive)) for p in params
        ],
        request_id=request_id,
        method=method,
        path=path,
    )
    error.retry_after = retry_after_seconds(response)
    return error


def retry_after_seconds(response: requests.Response) -> float | None:
    """The `Retry-After` header in seconds, when it is a number."""
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None


def redact(text: str, sensitive: Iterable[str]) -> str:
    """`text` with every sensitive value (token, secret, secret variable value) replaced."""
    for value in sorted((v for v in sensitive if v and len(v) >= 3), key=len, reverse=True):
        text = text.replace(value, REDACTED)
    return text


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _parse_body(body: Any, reason: str) -> tuple[str, list[InvalidParameter]]:
    """Title and invalid parameters from any of the three error shapes (or none)."""
    if not isinstance(body, dict):
        return reason, []
    if "error_code" in body or "error" in body:  # the gateway's and IMS's own shapes
        code = body.get("error_code") or body.get("error")
        text = body.get("message") or body.get("error_description") or reason
        return f"{text} ({code})", []
    title = str(body.get("title") or body.get("message") or reason)
    params = [_param(p) for p in body.get("invalidParams") or [] if isinstance(p, dict)]
    params += _problem_errors(body.get("errors"))
    params += [
        InvalidParameter(name=str(p.get("name")), reason="is required")
        for p in body.get("missingParams") or []
        if isinstance(p, dict)
    ]
    return title, params


def _param(raw: dict[str, Any]) -> InvalidParameter:
    return InvalidParameter(name=str(raw.get("name", "?")), reason=str(raw.get("reason", "")))


def _problem_errors(errors: Any) -> list[InvalidParameter]:
    """`application/problem+json` `errors`: a list (strings or {message}) or a map by field.

    `invalidValue` is dropped on purpose: it may echo a secret value back.
    """
    if isinstance(errors, dict):
        return [
            InvalidParameter(
                name=str(v.get("field") or k) if isinstance(v, dict) else str(k),
                reason=str(v.get("message", "")) if isinstance(v, dict) else str(v),
            )
            for k, v in errors.items()
        ]
    if isinstance(errors, list):
        return [
            InvalidParameter(
                name=str(e.get("field") or e.get("code") or "request"),
                reason=str(e.get("message", "")),
            )
            if isinstance(e, dict)
            else InvalidParameter(name="request", reason=str(e))
            for e in errors
        ]
    return []


def _message(
    method: str,
    path: str,
    status: int,
    title: str,
    params: list[InvalidParameter],
    request_id: str | None,
) -> str:
    text = f"{method} {path} failed with {status}: {title}"
    if params:
        text += " (" + "; ".join(f"{p.name}: {p.reason}" for p in params) + ")"
    if request_id:
        text += f" [x-request-id {request_id}]"
    return text


def connection_error(
    exc: requests.RequestException, *, method: str, path: str, target: str
) -> APIConnectionError:
    """The typed error for a request that got no HTTP answer (the cause's text is left out)."""
    return APIConnectionError(
        f"{method} {path} got no answer from {target}: {type(exc).__name__}",
        method=method,
        path=path,
        sent=not _never_sent(exc),
    )


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection itself failed (refused, connect time-out): nothing was sent."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )
