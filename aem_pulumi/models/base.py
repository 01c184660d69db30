"""The base of every Cloud Manager wire model: camelCase on the wire, unknown fields kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """A Cloud Manager JSON object, lenient to fields the API adds later."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_api(self) -> dict[str, Any]:
        """The JSON body Cloud Manager expects: camelCase keys, unset fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class ResponseModel(ApiModel):
    """An object as the API answers it: read leniently, never with the request-side rules.

    The behaviour page's "Strict in, lenient out": answers carry values the spec does not list,
    objects other tools made, and `null` where a field is simply not set. So response models
    type enums as plain strings, apply no pattern or range, and read `null` as absent (the
    field's default applies). Only what the client cannot do without stays required.
    """

    @model_validator(mode="before")
    @classmethod
    def _null_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


class HalLink(ResponseModel):
    """A HAL link (`_links.<rel>`)."""

    href: str
    templated: bool | None = None


REL = "http://ns.adobe.com/adobecloud/rel/"
