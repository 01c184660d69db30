"""Environments of a program."""

from __future__ import annotations

from pydantic import Field

from aem_pulumi.models.base import ApiModel, HalLink

READY = "ready"


class Environment(ApiModel):
    """A Cloud Manager environment (spec `Environment`); `status` is `ready` when writable."""

    id: str
    program_id: str
    name: str | None = None
    description: str | None = None
    type: str | None = None
    status: str | None = None
    region: str | None = None
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")
