"""JSON in and out: request bodies read into models, JSON answers, HAL links and lists."""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import Response, request
from pydantic import TypeAdapter, ValidationError

from aem_pulumi.emulator.errors import bad_request, validation_failed
from aem_pulumi.models.base import HalLink

T = TypeVar("T")


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
