"""The base of every Cloud Manager wire model: camelCase on the wire, unknown fields kept."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict
from pydantic.alias_generators import to_camel


class ApiModel(BaseModel):
    """A Cloud Manager JSON object, lenient to fields the API adds later."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, extra="allow")

    def to_api(self) -> dict[str, Any]:
        """The JSON body Cloud Manager expects: camelCase keys, unset fields left out."""
        return self.model_dump(by_alias=True, exclude_none=True, mode="json")


class HalLink(ApiModel):
    """A HAL link (`_links.<rel>`)."""

    href: str
    templated: bool | None = None


def embedded(body: dict[str, Any], plural: str) -> list[dict[str, Any]]:
    """The items of a HAL list body (`_embedded.<plural>`), empty when absent."""
    items = (body.get("_embedded") or {}).get(plural) or []
    return list(items)


REL = "http://ns.adobe.com/adobecloud/rel/"
