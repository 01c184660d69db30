"""Network infrastructures: a program's advanced networking set-up."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from aem_pulumi.models.base import ApiModel, HalLink, ResponseModel
from aem_pulumi.models.environment_advanced_networking import HOST_PATTERN
from aem_pulumi.models.errors import ErrorDetails

Kind = Literal["flexiblePortEgress", "dedicatedEgressIp", "vpn"]
KINDS: tuple[Kind, ...] = ("flexiblePortEgress", "dedicatedEgressIp", "vpn")

# Statuses of the spec's enum; kept as plain strings in responses so a new one does not break us.
CREATING, READY, UPDATING, DELETING, DELETED, FAILED, ERROR = (
    "creating",
    "ready",
    "updating",
    "deleting",
    "deleted",
    "failed",
    "error",
)
DELETED_FAILED = "deleted_failed"  # not in the spec's enum; the behaviour page lists it
# Infrastructures in these statuses are history: never "the infrastructure of a region".
HISTORY = frozenset({DELETED, DELETED_FAILED})

DhGroup = Literal[
    "DHGroup24", "ECP384", "ECP256", "DHGroup14", "DHGroup2048", "DHGroup2", "DHGroup1", "None"
]
IkeEncryption = Literal["AES256", "AES192", "AES128", "DES3", "DES"]
IkeIntegrity = Literal["SHA384", "SHA256", "SHA1", "MD5"]
IpsecEncryption = Literal[
    "GCMAES256", "GCMAES192", "GCMAES128", "AES256", "AES192", "AES128", "DES3", "DES", "None"
]
IpsecIntegrity = Literal["GCMAES256", "GCMAES192", "GCMAES128", "SHA256", "SHA1", "MD5"]
PfsGroup = Literal["PFS24", "ECP384", "ECP256", "PFS2048", "PFS2", "PFS1", "None"]
HostName = Annotated[str, Field(pattern=HOST_PATTERN)]

# Each request model below (strict: the spec's enums, patterns and ranges) has a `...Representation`
# beside it: the same object as the API answers it, read leniently (models/base.py, ResponseModel).


class DnsConfiguration(ApiModel):
    """Remote DNS of a VPN: its resolvers and, optionally, the domains they resolve.

    `domains` is not in the spec; Adobe's VPN tutorial sends it (`dns.domains`), and users need
    it for private DNS zones.
    """

    resolvers: list[str]
    domains: list[HostName] | None = None


class Gateway(ApiModel):
    """The customer's VPN device and the address ranges routed through it."""

    address: str
    address_space: list[str]


class IpsecPolicy(ApiModel):
    """IPsec/IKE parameters of a VPN connection (spec `IpSecPolicyInfrastructure`)."""

    dh_group: DhGroup
    ike_encryption: IkeEncryption
    ike_integrity: IkeIntegrity
    ipsec_encryption: IpsecEncryption
    ipsec_integrity: IpsecIntegrity
    pfs_group: PfsGroup
    sa_datasize: int = Field(ge=1024)
    sa_lifetime: int = Field(ge=300)


class VpnConnection(ApiModel):
    """One VPN connection; `shared_key` is a secret, sent on every write, never shown in a repr."""

    name: str
    gateway: Gateway
    shared_key: str | None = Field(default=None, repr=False)  # write-only: GET may omit it
    ipsec_policy: IpsecPolicy


class NetworkInfrastructure(ApiModel):
    """A program's network infrastructure in one region, with the spec's rules: what POST and PUT
    send (its read-only fields let the emulator build its answers with it too)."""

    kind: Kind
    region: str
    id: str | None = None
    program_id: str | None = None
    status: str | None = None
    is_primary_region: bool | None = None
    created: str | None = None
    updated: str | None = None
    address_space: list[str] | None = None
    dns: DnsConfiguration | None = None
    connections: list[VpnConnection] | None = None
    status_details: ErrorDetails | None = None
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")


class DnsRepresentation(ResponseModel):
    """A VPN's DNS as the API answers it."""

    resolvers: list[str] = Field(default_factory=list)
    domains: list[str] = Field(default_factory=list)


class GatewayRepresentation(ResponseModel):
    """A VPN connection's gateway as the API answers it."""

    address: str | None = None
    address_space: list[str] = Field(default_factory=list)


class IpsecPolicyRepresentation(ResponseModel):
    """A VPN connection's IPsec/IKE parameters as the API answers them (any value)."""

    dh_group: str | None = None
    ike_encryption: str | None = None
    ike_integrity: str | None = None
    ipsec_encryption: str | None = None
    ipsec_integrity: str | None = None
    pfs_group: str | None = None
    sa_datasize: int | None = None
    sa_lifetime: int | None = None


class VpnConnectionRepresentation(ResponseModel):
    """A VPN connection as the API answers it; its shared key is omitted or masked.

    A missing `gateway` or `ipsecPolicy` reads as one whose fields are all unset.
    """

    name: str
    gateway: GatewayRepresentation = Field(default_factory=GatewayRepresentation)
    shared_key: str | None = Field(default=None, repr=False)
    ipsec_policy: IpsecPolicyRepresentation = Field(default_factory=IpsecPolicyRepresentation)


class NetworkInfrastructureRepresentation(ResponseModel):
    """A program's network infrastructure as the API answers it.

    `kind` and `status` are any string (a kind added later, a status such as `deleted_failed`);
    only `kind` and `region` are required, because nothing can be done with one lacking them.
    """

    kind: str
    region: str
    id: str | None = None
    program_id: str | None = None
    status: str | None = None
    is_primary_region: bool | None = None
    created: str | None = None
    updated: str | None = None
    address_space: list[str] | None = None
    dns: DnsRepresentation | None = None
    connections: list[VpnConnectionRepresentation] | None = None
    status_details: ErrorDetails | None = None
    links: dict[str, HalLink] | None = Field(default=None, alias="_links")
