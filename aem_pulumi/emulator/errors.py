"""Error answers: `ApiError` stops a handler; the spec's `BadRequestError` body and its helpers."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from aem_pulumi.models.errors import BadRequestError, InvalidParameter, MissingParameter


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
