"""Environments of a program."""

from __future__ import annotations

from pydantic import Field

from aem_pulumi.models.base import HalLink, ResponseModel

READY = "ready"


class Environment(ResponseModel):
    """A Cloud Manager environment (spec `Environment`); `status` is `ready` when writable.

    `type` and `status` are any string: the real service answers values the spec does not list
    (`rde`, `hibernated`, ...), and a provider names them rather than failing to read them.
    """

    id: str
    program_id: str | None = None
    name: str | None = None
    description: str | None = None
    type: str | None = None
    status: str | None = None
    region: str | None = None
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")
