"""Reading answers into response models; a body that cannot be read is a CloudManagerError."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

import pydantic
import requests

from aem_pulumi.client.errors import UnreadableResponseError, redact

M = TypeVar("M", bound=pydantic.BaseModel)


def read_one(
    model: type[M],
    response: requests.Response,
    *,
    method: str,
    path: str,
    sensitive: Iterable[str] = (),
) -> M:
    """The body as `model`, or an `UnreadableResponseError` naming the call and the field."""
    reader = _Reader(response, method, path, list(sensitive))
    return reader.item(model, reader.body(), "")


def read_list(
    model: type[M],
    response: requests.Response,
    plural: str,
    *,
    method: str,
    path: str,
    sensitive: Iterable[str] = (),
) -> list[M]:
    """The items of a HAL list body (`_embedded.<plural>`, none when absent) as `model`."""
    reader = _Reader(response, method, path, list(sensitive))
    body = reader.body()
    if not isinstance(body, dict):
        raise reader.error("", "the body is not a JSON object")
    embedded = body.get("_embedded") or {}
    if not isinstance(embedded, dict):
        raise reader.error("_embedded", "is not a JSON object")
    items = embedded.get(plural) or []
    if not isinstance(items, list):
        raise reader.error(f"_embedded.{plural}", "is not a JSON array")
    where = f"_embedded.{plural}"
    return [reader.item(model, item, f"{where}[{index}]") for index, item in enumerate(items)]


class _Reader:
    """One answer being read: builds the error that names the call and the field."""

    def __init__(
        self, response: requests.Response, method: str, path: str, sensitive: list[str]
    ) -> None:
        self._response, self._method, self._path = response, method, path
        self._sensitive = sensitive

    def body(self) -> Any:
        try:
            return self._response.json()
        except ValueError:
            raise self.error("", "the body is not JSON") from None

    def item(self, model: type[M], data: Any, where: str) -> M:
        try:
            return model.model_validate(data)
        except pydantic.ValidationError as exc:
            # Locations and messages only: the input (which may hold a secret) is left out.
            problems = [(_join(where, e["loc"]), e["msg"]) for e in exc.errors(include_input=False)]
            raise self.error(*problems[0], more=problems[1:]) from None

    def error(
        self, field: str, reason: str, *, more: list[tuple[str, str]] | None = None
    ) -> UnreadableResponseError:
        problems = [(field, reason), *(more or [])]
        described = "; ".join(f"{name}: {text}" if name else text for name, text in problems)
        status = self._response.status_code
        request_id = self._response.headers.get("x-request-id")
        message = (
            f"{self._method} {self._path} answered {status} with a body that cannot be read "
            f"({described})"
        )
        if request_id:
            message += f" [x-request-id {request_id}]"
        return UnreadableResponseError(
            redact(message, self._sensitive),
            method=self._method,
            path=self._path,
            field=field,
            request_id=request_id,
        )


def _join(where: str, loc: tuple[int | str, ...]) -> str:
    """`_embedded.variables[0]` + ("name",) -> `_embedded.variables[0].name`."""
    text = where
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text
