"""JSON in and out: request bodies read into models, JSON answers, dates, HAL links and lists."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any, TypeVar

from flask import Response, request
from pydantic import TypeAdapter, ValidationError

from aem_pulumi.emulator.errors import JSON, Shape, bad_request, invalid_request, validation_failed
from aem_pulumi.models.base import HalLink

T = TypeVar("T")


def read_body(kind: type[T], shape: Shape = Shape.BAD_REQUEST) -> T:
    """The JSON request body parsed as `kind`; 415 unless JSON, 400 (in `shape`) when invalid."""
    if not request.is_json:
        raise bad_request("Content-Type must be application/json", status=415)
    body = request.get_json(silent=True)
    if body is None:
        if shape is Shape.BAD_REQUEST:
            raise bad_request("Request body is missing or not valid JSON")
        raise invalid_request(shape, [("body", "is missing or not valid JSON")])
    try:
        return TypeAdapter(kind).validate_python(body)
    except ValidationError as error:
        raise validation_failed(error, shape) from error


def json_response(
    body: Any, status: int = 200, headers: dict[str, str] | None = None, content_type: str = JSON
) -> Response:
    """A JSON answer (`application/json`, or `content_type`)."""
    return Response(json.dumps(body), status, headers, mimetype=content_type)


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


def timestamp(epoch: float) -> str:
    """An ISO 8601 UTC date-time with milliseconds, as the API writes them."""
    moment = datetime.fromtimestamp(epoch, UTC).isoformat(timespec="milliseconds")
    return moment.replace("+00:00", "Z")
