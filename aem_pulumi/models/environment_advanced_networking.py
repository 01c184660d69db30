"""Advanced networking on one environment: port forwards and non-proxy hosts."""

from __future__ import annotations

from pydantic import Field

from aem_pulumi.models.base import ApiModel, HalLink, ResponseModel

# The spec's pattern for a port forward's destination host (lower-case host name or IPv4).
HOST_PATTERN = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
SPEC_PORT_ORIG_MIN, SPEC_PORT_ORIG_MAX = 30000, 31000


class PortForwardRepresentation(ResponseModel):
    """A rule as GET lists it (`PortForwardRepresentation`), read as it is.

    Rules made in the UI or by other tools may break the request-side pattern and range (a host
    with capitals, `portOrig` 31000, no `name`): they are read all the same.
    """

    name: str | None = None
    port_dest: int
    port_orig: int


class PortForward(PortForwardRepresentation):
    """One rule to send: AEM_PROXY_HOST:port_orig goes to name:port_dest, the spec's rules apply."""

    name: str | None = Field(default=None, pattern=HOST_PATTERN)
    port_dest: int = Field(ge=1, le=65535)
    port_orig: int = Field(ge=SPEC_PORT_ORIG_MIN, le=SPEC_PORT_ORIG_MAX)


class AdvancedNetworkingUpdate(ApiModel):
    """The PUT body (`EnableAdvancedNetworkingConfiguration`); replaces the whole configuration."""

    non_proxy_hosts: list[str] | None = None
    port_forwards: list[PortForward] | None = None


class AdvancedNetworkingConfiguration(ResponseModel):
    """An environment's configuration in one region, as GET answers it."""

    program_id: str | None = None
    environment_id: str | None = None
    network_infrastructure_id: str | None = None
    non_proxy_hosts: list[str] = Field(default_factory=list)
    port_forwards: list[PortForwardRepresentation] = Field(default_factory=list)
    advanced_networking_enabled: bool = False
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")
