"""Network infrastructures: a program's advanced networking set-up."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aem_pulumi.models.base import ApiModel, HalLink
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


class DnsConfiguration(ApiModel):
    """Remote DNS resolvers of a VPN."""

    resolvers: list[str]


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
    """A program's network infrastructure in one region (request body and response)."""

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
