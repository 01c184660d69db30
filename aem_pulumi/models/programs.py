"""Programs and the regions they may use."""

from __future__ import annotations

from pydantic import Field

from aem_pulumi.models.base import HalLink, ResponseModel


class ProgramCapabilities(ResponseModel):
    """What a program may do (`sandbox` programs cannot use advanced networking)."""

    sandbox: bool = False


class Program(ResponseModel):
    """A Cloud Manager program (spec `Program`)."""

    id: str
    name: str | None = None
    enabled: bool | None = None
    tenant_id: str | None = None
    ims_org_id: str | None = None
    status: str | None = None
    type: str | None = None
    capabilities: ProgramCapabilities | None = None
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")


class Region(ResponseModel):
    """A region a program may deploy to (spec `Region`)."""

    name: str
