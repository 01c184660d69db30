"""Error answers: `ApiError` stops a handler; the two validation shapes Adobe's clients meet.

Each operation answers its validation errors in one shape (docs/emulator-contract.md, "Error
bodies"): the spec's `BadRequestError`, or `application/problem+json` of type
`validation-exception` with an `errors` map, as Adobe's JS SDK fixtures show for variables.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import Enum
from typing import Any

from pydantic import ValidationError

from aem_pulumi.models.errors import (
    VALIDATION_EXCEPTION_TYPE,
    BadRequestError,
    InvalidParameter,
    MissingParameter,
)

JSON = "application/json"
PROBLEM_JSON = "application/problem+json"
VALIDATION_FAILED = "Validation failed"
CONSTRAINT_VIOLATIONS = "Constraint Violations"
VALIDATION_ERROR_CODE = "VALIDATION_ERROR_CODE"
MISSING_REASON = "is required"


class Shape(Enum):
    """How an operation answers a validation error."""

    BAD_REQUEST = "BadRequestError"
    PROBLEM = "validation-exception"


class ApiError(Exception):
    """An error answer: the handler stops and the client gets `status`, `body` and `headers`."""

    def __init__(
        self,
        status: int,
        body: dict[str, Any],
        headers: dict[str, str] | None = None,
        content_type: str = JSON,
    ) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = headers or {}
        self.content_type = content_type


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


def problem_body(invalid: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """A `validation-exception` problem: one `errors` entry per field (reasons joined by `; `).

    The entries never carry `invalidValue`: the value sent may be a secret.
    """
    errors: dict[str, dict[str, str]] = {}
    for name, reason in invalid:
        entry = errors.setdefault(name, {"field": name, "code": VALIDATION_ERROR_CODE})
        entry["message"] = f"{entry['message']}; {reason}" if "message" in entry else reason
    return {
        "type": VALIDATION_EXCEPTION_TYPE,
        "title": CONSTRAINT_VIOLATIONS,
        "status": 400,
        "errors": errors,
    }


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


def invalid_request(
    shape: Shape, invalid: Iterable[tuple[str, str]] = (), missing: Iterable[str] = ()
) -> ApiError:
    """A 400 in the operation's shape; a problem lists the missing fields as errors too."""
    if shape is Shape.BAD_REQUEST:
        return bad_request(VALIDATION_FAILED, invalid=invalid, missing=missing)
    everything = [*invalid, *((name, MISSING_REASON) for name in missing)]
    return ApiError(400, problem_body(everything), content_type=PROBLEM_JSON)


def param_name(location: Sequence[int | str]) -> str:
    """A pydantic error location as the API names parameters: `portForwards[1].portOrig`."""
    name = ""
    for part in location:
        name += f"[{part}]" if isinstance(part, int) else f".{part}" if name else part
    return name or "body"


def validation_failed(error: ValidationError, shape: Shape = Shape.BAD_REQUEST) -> ApiError:
    """A 400 listing each field pydantic rejected (missing ones apart, in a `BadRequestError`)."""
    invalid: list[tuple[str, str]] = []
    missing: list[str] = []
    for item in error.errors(include_url=False):
        name = param_name(item["loc"])
        if item["type"] == "missing":
            missing.append(name)
        else:
            invalid.append((name, item["msg"]))
    return invalid_request(shape, invalid, missing)
