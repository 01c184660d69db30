"""One error hierarchy from every body shape Adobe answers with (make_error)."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from aem_pulumi.client import (
    APIError,
    AuthenticationError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from aem_pulumi.client.errors import make_error


def _response(status: int, body: Any, headers: dict[str, str] | None = None) -> requests.Response:
    response = requests.Response()
    response.status_code = status
    response.reason = "Reason"
    response._content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response.headers.update({"x-request-id": "req-1", **(headers or {})})
    return response


def _error(status: int, body: Any, **kwargs: Any) -> APIError:
    return make_error(_response(status, body, **kwargs), method="PUT", path="/api/x")


def test_make_error__bad_request_error_body() -> None:
    body = {
        "status": 400,
        "type": "http://ns.adobe.com/adobecloud/error",
        "title": "Validation failed",
        "invalidParams": [{"name": "portForwards[0].portOrig", "reason": "must be unique"}],
        "missingParams": [{"name": "region", "type": "string"}],
    }
    error = _error(400, body)
    assert isinstance(error, ValidationError)
    assert (error.status, error.title, error.request_id) == (400, "Validation failed", "req-1")
    assert [(p.name, p.reason) for p in error.invalid_params] == [
        ("portForwards[0].portOrig", "must be unique"),
        ("region", "is required"),
    ]
    assert str(error) == (
        "PUT /api/x failed with 400: Validation failed (portForwards[0].portOrig: must be "
        "unique; region: is required) [x-request-id req-1]"
    )


def test_make_error__problem_json_errors_map() -> None:
    body = {
        "type": "http://ns.adobe.com/adobecloud/validation-exception",
        "title": "Constraint Violations",
        "errors": {
            "patch.arg2[0].name": {
                "field": "patch.arg2[0].name",
                "code": "VALIDATION_ERROR_CODE",
                "message": 'must match "[a-zA-Z_][a-zA-Z_0-9]*"',
                "invalidValue": "some-secret-looking-value",
            }
        },
    }
    error = _error(400, body)
    assert error.title == "Constraint Violations"
    assert [(p.name, p.reason) for p in error.invalid_params] == [
        ("patch.arg2[0].name", 'must match "[a-zA-Z_][a-zA-Z_0-9]*"')
    ]
    assert "some-secret-looking-value" not in str(error)  # invalidValue is never shown


def test_make_error__problem_json_errors_list() -> None:
    body = {
        "type": "http://ns.adobe.com/adobecloud/ipallowlist-generic-exception",
        "title": "Bad request",
        "errors": [{"code": "IP_ALLOWLIST_NAME_ALREADY_EXISTS", "message": "exists"}, "plain"],
    }
    error = _error(400, body)
    assert [(p.name, p.reason) for p in error.invalid_params] == [
        ("IP_ALLOWLIST_NAME_ALREADY_EXISTS", "exists"),
        ("request", "plain"),
    ]


def test_make_error__gateway_body() -> None:
    error = _error(401, {"error_code": "401013", "message": "Oauth token is not valid"})
    assert isinstance(error, AuthenticationError)
    assert error.title == "Oauth token is not valid (401013)"


def test_make_error__ims_body() -> None:
    error = _error(400, {"error": "invalid_scope", "error_description": "scope not allowed"})
    assert error.title == "scope not allowed (invalid_scope)"


def test_make_error__not_json() -> None:
    error = _error(502, b"<html>Bad Gateway</html>")
    assert isinstance(error, ServerError)
    assert error.title == "Reason"


@pytest.mark.parametrize(
    ("status", "cls"),
    [(404, NotFoundError), (409, ConflictError), (429, RateLimitError), (503, ServerError)],
)
def test_make_error__class_by_status(status: int, cls: type[APIError]) -> None:
    assert type(_error(status, {"title": "t"})) is cls


def test_make_error__retry_after() -> None:
    error = _error(429, {"title": "slow down"}, headers={"Retry-After": "12"})
    assert isinstance(error, RateLimitError) and error.retry_after == 12.0


def test_make_error__sensitive_values_redacted() -> None:
    body = {"status": 400, "title": "value 'hunter2-secret' is too long", "invalidParams": []}
    response = _response(400, body)
    error = make_error(response, method="PATCH", path="/v", sensitive=["hunter2-secret"])
    assert "hunter2-secret" not in str(error)
    assert "[redacted]" in error.title
