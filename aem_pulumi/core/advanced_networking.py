"""`AdvancedNetworking`: a program's network infrastructure in one region (declaration and CRUD).

Behaviour page, "Network infrastructure": a program uses one kind, with at most one
infrastructure per region; only a VPN's settings change in place (PUT, shared keys sent every
time); a change of kind or region means delete, then create. The VPN shared keys are write-only
secrets: they never appear in a message, a log line or a repr (`hide_input_in_errors`,
`repr=False`, and the client redacts them from API errors).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import APIError, CloudManagerClient, NotFoundError
from aem_pulumi.core.declaration import Context, Created, Declaration, Found
from aem_pulumi.core.errors import InvalidInputs, OperationFailed, OwnershipError, RequestFailed
from aem_pulumi.core.inputs import REPLACES, SECRET, Inputs, Timeouts
from aem_pulumi.core.ownership import Identity, describe
from aem_pulumi.core.progress import report
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.waiting import Statuses, wait_for
from aem_pulumi.models.advanced_networking import (
    CREATING,
    DELETED,
    DELETING,
    ERROR,
    FAILED,
    HISTORY,
    READY,
    UPDATING,
    DhGroup,
    DnsConfiguration,
    Gateway,
    IkeEncryption,
    IkeIntegrity,
    IpsecEncryption,
    IpsecIntegrity,
    IpsecPolicy,
    Kind,
    NetworkInfrastructure,
    NetworkInfrastructureRepresentation,
    PfsGroup,
    VpnConnection,
    VpnConnectionRepresentation,
)
from aem_pulumi.models.environment_advanced_networking import HOST_PATTERN

MINUTES = 60.0
# Behaviour page, "Timing": flexible/dedicated ~15 min (up to 60), VPN 45-60 min.
DEFAULTS: Mapping[str, float] = {
    "create": 90 * MINUTES,
    "update": 120 * MINUTES,
    "delete": 60 * MINUTES,
}
VPN_DEFAULTS: Mapping[str, float] = {**DEFAULTS, "create": 120 * MINUTES}
REGION = re.compile(r"[a-z]+[0-9]*")  # va7, nld2, aus5: Adobe's region names
GONE = "(gone)"  # the status a 404 stands for while waiting on a delete


def _ipv4(value: str) -> str:
    try:
        ipaddress.IPv4Address(value)
    except ValueError:
        raise ValueError(f"'{value}' is not an IPv4 address such as 203.0.113.10") from None
    return value


def _dns_domain(value: str) -> str:
    if not re.fullmatch(HOST_PATTERN.strip("^$"), value):
        raise ValueError(f"'{value}' is not a lower-case domain name such as corp.example.com")
    return value


def _ipv4_cidr(value: str) -> str:
    try:
        ipaddress.IPv4Network(value, strict=True)
    except ValueError:
        raise ValueError(f"'{value}' is not an IPv4 CIDR such as 10.0.0.0/26") from None
    if "/" not in value:
        raise ValueError(f"'{value}' is not an IPv4 CIDR such as 10.0.0.0/26")
    return value


def _at_least_slash_26(value: str) -> str:
    if ipaddress.IPv4Network(value).prefixlen > 26:
        raise ValueError(f"'{value}' is smaller than a /26 (the API needs 64 addresses or more)")
    return value


IPv4 = Annotated[str, AfterValidator(_ipv4)]
DnsDomain = Annotated[str, AfterValidator(lambda v: _dns_domain(v))]
Cidr = Annotated[str, AfterValidator(_ipv4_cidr)]
AddressSpaceCidr = Annotated[str, AfterValidator(_ipv4_cidr), AfterValidator(_at_least_slash_26)]


class _Strict(BaseModel):
    model_config = ConfigDict(
        extra="forbid", hide_input_in_errors=True, use_attribute_docstrings=True
    )


class IpsecPolicyInputs(_Strict):
    """IPsec/IKE parameters of one VPN connection (the spec's `IpSecPolicyInfrastructure`)."""

    dh_group: DhGroup
    """Diffie-Hellman group, e.g. `DHGroup14`."""
    ike_encryption: IkeEncryption
    """IKEv2 encryption, e.g. `AES256`."""
    ike_integrity: IkeIntegrity
    """IKEv2 integrity, e.g. `SHA256`."""
    ipsec_encryption: IpsecEncryption
    """IPsec encryption, e.g. `AES256`."""
    ipsec_integrity: IpsecIntegrity
    """IPsec integrity, e.g. `SHA256`."""
    pfs_group: PfsGroup
    """Perfect forward secrecy group, e.g. `PFS2048` (or `None`)."""
    sa_datasize: int = Field(ge=1024)
    """Quick-mode SA lifetime in kilobytes, at least 1024."""
    sa_lifetime: int = Field(ge=300)
    """Quick-mode SA lifetime in seconds, at least 300."""


class VpnConnectionInputs(_Strict):
    """One site-to-site connection to the customer's VPN device."""

    name: str = Field(min_length=1)
    """Name of the connection, unique within the VPN."""
    gateway_address: IPv4
    """Public IPv4 address of the customer's VPN device."""
    gateway_address_space: list[Cidr] = Field(min_length=1)
    """IPv4 CIDRs routed through the tunnel to this gateway."""
    shared_key: Annotated[str, SECRET] = Field(min_length=1, repr=False)
    """Pre-shared key (secret, write-only: Cloud Manager never returns it)."""
    ipsec_policy: IpsecPolicyInputs
    """IPsec/IKE parameters."""


class VpnInputs(_Strict):
    """The VPN settings of a `vpn` infrastructure."""

    # The spec: `addressSpace` "cannot be changed later"; a new one needs a new infrastructure.
    address_space: Annotated[list[AddressSpaceCidr], REPLACES] = Field(min_length=1)
    """IPv4 CIDRs of the AEM side, each a /26 or larger; cannot change after creation."""
    dns_resolvers: list[IPv4] = Field(min_length=1)
    """IPv4 addresses of DNS resolvers on the customer's network (at least one)."""
    dns_domains: list[DnsDomain] | None = None
    """Private DNS domains those resolvers answer for (`dns.domains`, as Adobe's VPN tutorial
    sends it); lower-case host names."""
    connections: list[VpnConnectionInputs] = Field(min_length=1)
    """The VPN connections."""

    @field_validator("connections")
    @classmethod
    def _unique_names(cls, value: list[VpnConnectionInputs]) -> list[VpnConnectionInputs]:
        names = [c.name for c in value]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            raise ValueError(f"connection names must be unique: {', '.join(repeated)} repeated")
        return value


class AdvancedNetworkingInputs(Inputs):
    """Inputs of `AdvancedNetworking` (a program's network infrastructure in one region)."""

    program_id: Annotated[str, REPLACES]
    """Cloud Manager program id (digits); changing it replaces the infrastructure."""
    kind: Annotated[Kind, REPLACES]
    """`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`; changing it replaces the infrastructure."""
    region: Annotated[str, REPLACES]
    """Region of the infrastructure, e.g. `va7`; changing it replaces the infrastructure."""
    vpn: VpnInputs | None = Field(default=None, validate_default=True)
    """VPN settings: required for kind `vpn`, refused otherwise; updated in place."""
    adopt: bool = False
    """Take over an infrastructure that already exists in the region when it matches the inputs."""
    timeouts: Timeouts = None
    """Deadlines per operation, e.g. `{"create": "90m"}`; defaults: create 90m (vpn 120m),
    update 120m, delete 60m."""

    @field_validator("program_id")
    @classmethod
    def _numeric_id(cls, value: str) -> str:
        if not (value.isascii() and value.isdigit()):
            raise ValueError("must be a Cloud Manager program id (digits), such as 10001")
        return value

    @field_validator("region")
    @classmethod
    def _region_name(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty: give a region name such as va7 or nld2")
        if not REGION.fullmatch(value):
            raise ValueError("must be a lower-case region name such as va7 or nld2")
        return value

    @field_validator("vpn")
    @classmethod
    def _vpn_matches_kind(cls, value: VpnInputs | None, info: ValidationInfo) -> VpnInputs | None:
        kind = info.data.get("kind")
        if kind == "vpn" and value is None:
            raise ValueError("is required when kind is 'vpn'")
        if kind is not None and kind != "vpn" and value is not None:
            raise ValueError(f"is only allowed when kind is 'vpn', not '{kind}'")
        return value


class AdvancedNetworkingOutputs(BaseModel):
    """Outputs of `AdvancedNetworking` beyond its inputs."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    infrastructure_id: str | None = None
    """Cloud Manager's id of the infrastructure."""
    status: str | None = None
    """Its status when last read (`ready` after a successful create or update)."""
    egress_host: str | None = None
    """`p{program_id}.external.adobeaemcloud.com`, the host whose address is the program's
    dedicated egress IP to allow-list (dedicatedEgressIp and vpn; none for flexiblePortEgress)."""
    vpn_gateway_host: str | None = None
    """`p{program_id}.{region}-gateway.external.adobeaemcloud.com`, the VPN gateway of the region
    (vpn only)."""


class AdvancedNetworkingOperations:
    """CRUD of a program's network infrastructure; waits for each operation's end state."""

    def create(self, inputs: AdvancedNetworkingInputs, ctx: Context) -> Created:
        """Create (or, with `adopt`, take over) the region's infrastructure and wait for `ready`."""
        who, client = ctx.who, ctx.client
        defaults = VPN_DEFAULTS if inputs.kind == "vpn" else DEFAULTS
        deadline = ctx.deadline("create", inputs.timeouts, defaults)
        identity = identities(inputs.model_dump(mode="json"))[0]
        ctx.claim([identity])
        existing = _existing_in_region(client, inputs, who)
        if existing is not None and _left_failed(existing, inputs):
            _delete_failed(client, inputs.program_id, existing, deadline, who)
            existing = None
        if existing is None:
            infrastructure_id = _start_create(client, inputs, who)
        else:
            adopt = ctx.is_ours(identity, inputs.adopt)
            infrastructure_id = _adopt(existing, inputs.model_copy(update={"adopt": adopt}), who)
        found = _wait_ready(client, inputs.program_id, infrastructure_id, deadline, who)
        return Created(f"{inputs.program_id}/{infrastructure_id}", _outputs(inputs, found))

    def update(
        self, id_: str, olds: Mapping[str, Any], news: AdvancedNetworkingInputs, ctx: Context
    ) -> dict[str, Any]:
        """PUT changed VPN settings (shared keys included) and wait for `ready`; every output."""
        who, client = ctx.who, ctx.client
        program_id, infrastructure_id = _split_id(id_, who)
        if _same_vpn(olds.get("vpn"), news.vpn):  # only local inputs (timeouts, adopt) changed
            return _outputs(news, _get(client, program_id, infrastructure_id, who))
        deadline = ctx.deadline("update", news.timeouts, DEFAULTS)
        _wait_editable(client, program_id, infrastructure_id, deadline, who)
        report(f"{who}: updating the VPN settings of network infrastructure {infrastructure_id}")
        with _explained(who, f"updating network infrastructure {infrastructure_id}"):
            client.update_network_infrastructure(program_id, infrastructure_id, _to_api(news))
        return _outputs(news, _wait_ready(client, program_id, infrastructure_id, deadline, who))

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """What exists now (kind, region, status, VPN settings with the stored shared keys)."""
        program_id, infrastructure_id = _split_id(id_, ctx.who)
        try:
            found = ctx.client.get_network_infrastructure(program_id, infrastructure_id)
        except NotFoundError:
            return None
        if is_history(found):
            return None
        inputs = {
            **{k: v for k, v in state.items() if k in AdvancedNetworkingInputs.model_fields},
            "program_id": program_id,
            "kind": found.kind,
            "region": found.region,
            "vpn": _vpn_from_api(found, state.get("vpn")),
        }
        outputs = {**inputs, "infrastructure_id": infrastructure_id, "status": found.status}
        outputs |= egress(program_id, found.kind, found.region)
        return Found(id_, outputs, inputs)

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Delete it and wait until it is gone; 404 means already gone."""
        who, client = ctx.who, ctx.client
        program_id, infrastructure_id = _split_id(id_, who)
        if state.get("region"):
            identity = identities({**state, "program_id": program_id})[0]
            holders = ctx.other_holders(identity)
            if holders:
                report(
                    f"{who}: leaving {describe(identity)} in place: {', '.join(holders)} holds it"
                )
                return
        deadline = ctx.deadline("delete", _timeouts(state), DEFAULTS)
        current = _wait_settled(client, program_id, infrastructure_id, deadline, who)
        if current is None:
            return
        if current.status != DELETING:
            report(f"{who}: deleting network infrastructure {infrastructure_id}")
            _request_delete(client, program_id, infrastructure_id, who)
        _wait_gone(client, program_id, infrastructure_id, deadline, who)


def identities(props: Mapping[str, Any]) -> list[Identity]:
    """A program has one infrastructure per region."""
    return [("network infrastructure", str(props["program_id"]), str(props["region"]))]


def is_history(infrastructure: NetworkInfrastructureRepresentation) -> bool:
    """`deleted` and `deleted_failed` infrastructures are history, not a region's infrastructure."""
    return infrastructure.status in HISTORY


# --- inputs and outputs ---------------------------------------------------------------------


def _timeouts(props: Mapping[str, Any]) -> dict[str, str]:
    raw = props.get("timeouts")
    return {str(k): str(v) for k, v in raw.items() if v} if isinstance(raw, Mapping) else {}


def _split_id(id_: str, who: str) -> tuple[str, str]:
    program_id, _, infrastructure_id = id_.partition("/")
    if not program_id or not infrastructure_id:
        raise InvalidInputs(f"{who}: id '{id_}' is not '<program_id>/<infrastructure_id>'")
    return program_id, infrastructure_id


def _outputs(
    inputs: AdvancedNetworkingInputs, found: NetworkInfrastructureRepresentation
) -> dict[str, Any]:
    """Every input (olds given to diff/update are outputs) plus the infrastructure's id and status."""
    outputs = {
        **inputs.model_dump(mode="json"),
        "infrastructure_id": found.id,
        "status": found.status,
    }
    return {**outputs, **egress(inputs.program_id, inputs.kind, inputs.region)}


def egress(program_id: str, kind: str, region: str) -> dict[str, str | None]:
    """The egress hosts users allow-list (behaviour page, "the egress addresses")."""
    dedicated = kind in ("dedicatedEgressIp", "vpn")
    return {
        "egress_host": f"p{program_id}.external.adobeaemcloud.com" if dedicated else None,
        "vpn_gateway_host": (
            f"p{program_id}.{region}-gateway.external.adobeaemcloud.com" if kind == "vpn" else None
        ),
    }


def _to_api(inputs: AdvancedNetworkingInputs) -> NetworkInfrastructure:
    vpn = inputs.vpn
    if vpn is None:
        return NetworkInfrastructure(kind=inputs.kind, region=inputs.region)
    return NetworkInfrastructure(
        kind=inputs.kind,
        region=inputs.region,
        address_space=vpn.address_space,
        dns=DnsConfiguration(resolvers=vpn.dns_resolvers, domains=vpn.dns_domains),
        connections=[_connection_to_api(c) for c in vpn.connections],
    )


def _connection_to_api(connection: VpnConnectionInputs) -> VpnConnection:
    return VpnConnection(
        name=connection.name,
        gateway=Gateway(
            address=connection.gateway_address, address_space=connection.gateway_address_space
        ),
        shared_key=connection.shared_key,
        ipsec_policy=IpsecPolicy(**connection.ipsec_policy.model_dump()),
    )


def _vpn_from_api(
    found: NetworkInfrastructureRepresentation, old_vpn: Any
) -> dict[str, Any] | None:
    """The VPN settings in input form; shared keys come from `old_vpn` (write-only in the API)."""
    if found.kind != "vpn":
        return None
    return {
        "address_space": list(found.address_space or []),
        "dns_resolvers": list(found.dns.resolvers) if found.dns else [],
        "dns_domains": list(found.dns.domains) or None if found.dns else None,
        "connections": [
            _connection_from_api(c, _old_keys(old_vpn)) for c in found.connections or []
        ],
    }


def _connection_from_api(
    connection: VpnConnectionRepresentation, keys: Mapping[str, str]
) -> dict[str, Any]:
    policy = connection.ipsec_policy
    return {
        "name": connection.name,
        "gateway_address": connection.gateway.address,
        "gateway_address_space": list(connection.gateway.address_space),
        # Never the API's value: Cloud Manager omits or masks it (the emulator answers ********).
        "shared_key": keys.get(connection.name),
        "ipsec_policy": {name: getattr(policy, name) for name in IpsecPolicyInputs.model_fields},
    }


def _old_keys(old_vpn: Any) -> dict[str, str]:
    """Connection name -> shared key, from the stored VPN settings."""
    if not isinstance(old_vpn, Mapping):
        return {}
    return {
        str(c.get("name")): str(c["shared_key"])
        for c in old_vpn.get("connections") or []
        if isinstance(c, Mapping) and c.get("shared_key")
    }


def _same_vpn(old_vpn: Any, new_vpn: VpnInputs | None) -> bool:
    if old_vpn is None or new_vpn is None:
        return old_vpn is None and new_vpn is None
    try:
        return VpnInputs.model_validate(old_vpn) == new_vpn
    except PydanticValidationError:
        return False


# --- creating and adopting ------------------------------------------------------------------


@contextmanager
def _explained(who: str, action: str) -> Iterator[None]:
    """Turn an API error into a message naming the resource and what it was doing."""
    try:
        yield
    except APIError as exc:
        raise RequestFailed(f"{who}: {action} failed: {exc}") from None


def _existing_in_region(
    client: CloudManagerClient, inputs: AdvancedNetworkingInputs, who: str
) -> NetworkInfrastructureRepresentation | None:
    action = f"listing the network infrastructures of program {inputs.program_id}"
    with _explained(who, action):
        found = client.list_network_infrastructures(inputs.program_id)
    return next((i for i in found if i.region == inputs.region and not is_history(i)), None)


def _start_create(client: CloudManagerClient, inputs: AdvancedNetworkingInputs, who: str) -> str:
    where = f"region {inputs.region} of program {inputs.program_id}"
    report(f"{who}: creating a {inputs.kind} network infrastructure in {where}")
    with _explained(who, f"creating the {inputs.kind} network infrastructure in {where}"):
        created = client.create_network_infrastructure(inputs.program_id, _to_api(inputs))
    if not created.id:
        raise RequestFailed(f"{who}: Cloud Manager created an infrastructure without an id")
    return created.id


def _left_failed(
    existing: NetworkInfrastructureRepresentation, inputs: AdvancedNetworkingInputs
) -> bool:
    """Whether `existing` is a failed creation of what the inputs want (an earlier `up`'s)."""
    return existing.status in (FAILED, ERROR) and existing.kind == inputs.kind


def _delete_failed(
    client: CloudManagerClient,
    program_id: str,
    existing: NetworkInfrastructureRepresentation,
    deadline: Deadline,
    who: str,
) -> None:
    """Delete a failed infrastructure so the region is free to create it again.

    A failed infrastructure is never usable, and a failed create leaves nothing in the Pulumi
    state (the engine records no partial create): without this, every later `up` would stop on
    it and ask for adopt=True, which cannot help either.
    """
    infrastructure_id = str(existing.id)
    report(
        f"{who}: network infrastructure {infrastructure_id} in region {existing.region} is "
        f"'{existing.status}' (an earlier attempt failed); deleting it to create it again"
    )
    _request_delete(client, program_id, infrastructure_id, who)
    _wait_gone(client, program_id, infrastructure_id, deadline, who)


def _adopt(
    existing: NetworkInfrastructureRepresentation, inputs: AdvancedNetworkingInputs, who: str
) -> str:
    """The id of `existing` when `adopt` is set and it matches the inputs; else a ProviderError."""
    where = f"program {inputs.program_id} already has network infrastructure {existing.id}"
    where += f" ({existing.kind}, '{existing.status}') in region {inputs.region}"
    if not inputs.adopt:
        raise OwnershipError(f"{who}: {where}; set adopt=True to take it over, or delete it first")
    differences = _adoption_differences(existing, inputs)
    if differences:
        raise OwnershipError(
            f"{who}: cannot adopt: {where}, which differs from the inputs: "
            f"{'; '.join(differences)}. Change the inputs to match, or delete it first"
        )
    report(f"{who}: adopting network infrastructure {existing.id} ('{existing.status}')")
    return str(existing.id)


def _adoption_differences(
    existing: NetworkInfrastructureRepresentation, inputs: AdvancedNetworkingInputs
) -> list[str]:
    """What differs between `existing` and the inputs, shared keys aside (they are write-only)."""
    if existing.kind != inputs.kind:
        return [f"kind is '{existing.kind}', the inputs say '{inputs.kind}'"]
    found = _without_keys(_vpn_from_api(existing, None))
    wanted = _without_keys(inputs.vpn.model_dump(mode="json") if inputs.vpn else None)
    return _differences("vpn", found, wanted)


def _without_keys(vpn: dict[str, Any] | None) -> dict[str, Any] | None:
    if vpn is None:
        return None
    connections = [{k: v for k, v in c.items() if k != "shared_key"} for c in vpn["connections"]]
    return {**vpn, "connections": connections}


def _differences(path: str, found: Any, wanted: Any) -> list[str]:
    """`path is X, the inputs say Y` for each leaf that differs."""
    if isinstance(found, dict) and isinstance(wanted, dict):
        keys = [*found, *(k for k in wanted if k not in found)]
        return [d for k in keys for d in _differences(f"{path}.{k}", found.get(k), wanted.get(k))]
    if isinstance(found, list) and isinstance(wanted, list) and len(found) == len(wanted):
        pairs = enumerate(zip(found, wanted, strict=True))
        return [d for i, (f, w) in pairs for d in _differences(f"{path}[{i}]", f, w)]
    return [] if found == wanted else [f"{path} is {found!r}, the inputs say {wanted!r}"]


# --- waiting and deleting -------------------------------------------------------------------


def _get(
    client: CloudManagerClient, program_id: str, infrastructure_id: str, who: str
) -> NetworkInfrastructureRepresentation:
    try:
        return client.get_network_infrastructure(program_id, infrastructure_id)
    except NotFoundError:
        raise OperationFailed(
            f"{who}: network infrastructure {infrastructure_id} of program {program_id} no longer "
            "exists; run `pulumi refresh` to forget it, then `pulumi up` to create it again"
        ) from None


def _get_or_none(
    client: CloudManagerClient, program_id: str, infrastructure_id: str
) -> NetworkInfrastructureRepresentation | None:
    try:
        return client.get_network_infrastructure(program_id, infrastructure_id)
    except NotFoundError:
        return None


def _status(found: NetworkInfrastructureRepresentation | None) -> str | None:
    return GONE if found is None else found.status


def _details(found: NetworkInfrastructureRepresentation | None) -> str:
    details = found.status_details if found is not None else None
    if details is None or not (details.message or details.error_code):
        return ""
    code = f" ({details.error_code})" if details.error_code else ""
    return f"{details.message or 'no message'}{code}"


def _wait(
    read: Callable[[], NetworkInfrastructureRepresentation | None],
    infrastructure_id: str,
    deadline: Deadline,
    who: str,
    **statuses: frozenset[str],
) -> NetworkInfrastructureRepresentation | None:
    judged: Statuses[NetworkInfrastructureRepresentation | None] = Statuses(
        ready=statuses["ready"],
        pending=statuses["pending"],
        failed=statuses.get("failed", frozenset()),
        details=_details,
        unexpected=_unexpected,
    )
    what = f"network infrastructure {infrastructure_id}"
    return wait_for(read, _status, judged, deadline=deadline, what=what, who=who)


def _unexpected(status: str) -> str:
    """An infrastructure status no lifecycle here knows (the API grows): say so, do not guess."""
    return (
        f"is '{status}', a status aem-pulumi does not know; check it in Cloud Manager, then "
        "run `pulumi up` again"
    )


def _wait_ready(
    client: CloudManagerClient,
    program_id: str,
    infrastructure_id: str,
    deadline: Deadline,
    who: str,
) -> NetworkInfrastructureRepresentation:
    """Wait until `ready`; `failed`/`error` raise with the API's `statusDetails`."""
    found = _wait(
        lambda: _get(client, program_id, infrastructure_id, who),
        infrastructure_id,
        deadline,
        who,
        ready=frozenset({READY}),
        pending=frozenset({CREATING, UPDATING}),
        failed=frozenset({FAILED, ERROR}),
    )
    assert found is not None  # _get never answers None
    return found


def _wait_editable(
    client: CloudManagerClient,
    program_id: str,
    infrastructure_id: str,
    deadline: Deadline,
    who: str,
) -> None:
    """Wait while it is `creating`/`updating` (nothing can be edited then); `failed` may retry."""
    _wait(
        lambda: _get(client, program_id, infrastructure_id, who),
        infrastructure_id,
        deadline,
        who,
        ready=frozenset({READY, FAILED, ERROR}),
        pending=frozenset({CREATING, UPDATING}),
    )


def _wait_settled(
    client: CloudManagerClient,
    program_id: str,
    infrastructure_id: str,
    deadline: Deadline,
    who: str,
) -> NetworkInfrastructureRepresentation | None:
    """Wait while it is `creating`/`updating` (nothing can be deleted then); None when gone."""
    found = _wait(
        lambda: _get_or_none(client, program_id, infrastructure_id),
        infrastructure_id,
        deadline,
        who,
        ready=frozenset({GONE, READY, FAILED, ERROR, DELETING, DELETED}),
        pending=frozenset({CREATING, UPDATING}),
    )
    return None if found is None or found.status == DELETED else found


def _wait_gone(
    client: CloudManagerClient,
    program_id: str,
    infrastructure_id: str,
    deadline: Deadline,
    who: str,
) -> None:
    _wait(
        lambda: _get_or_none(client, program_id, infrastructure_id),
        infrastructure_id,
        deadline,
        who,
        ready=frozenset({GONE, DELETED}),
        pending=frozenset({DELETING}),
        failed=frozenset({FAILED, ERROR}),
    )


def _request_delete(
    client: CloudManagerClient, program_id: str, infrastructure_id: str, who: str
) -> None:
    try:
        client.delete_network_infrastructure(program_id, infrastructure_id)
    except NotFoundError:
        return
    except APIError as exc:
        enabled = _environments_enabled(client, program_id, infrastructure_id)
        if enabled:
            raise RequestFailed(
                f"{who}: cannot delete network infrastructure {infrastructure_id}: advanced "
                f"networking is still enabled on {enabled}; disable it there first (remove "
                "their advanced networking configuration), then retry"
            ) from None
        raise RequestFailed(
            f"{who}: deleting network infrastructure {infrastructure_id} failed: {exc}"
        ) from None


def _environments_enabled(
    client: CloudManagerClient, program_id: str, infrastructure_id: str
) -> str:
    """`environment 20001 (dev)`-style list of environments using the infrastructure, or ''."""
    try:
        names = [
            f"{env.id} ({env.name})" if env.name else env.id
            for env in client.list_environments(program_id)
            if _enabled_on(client, program_id, env.id, infrastructure_id)
        ]
    except APIError:  # naming them is a courtesy: the API's own refusal is reported instead
        return ""
    if not names:
        return ""
    return f"environment{'s' if len(names) > 1 else ''} {', '.join(names)}"


def _enabled_on(
    client: CloudManagerClient, program_id: str, environment_id: str, infrastructure_id: str
) -> bool:
    try:
        configurations = client.get_advanced_networking(program_id, environment_id)
    except NotFoundError:
        return False
    return any(
        c.advanced_networking_enabled and c.network_infrastructure_id in (None, infrastructure_id)
        for c in configurations
    )


ADVANCED_NETWORKING: Declaration[AdvancedNetworkingInputs] = Declaration(
    name="AdvancedNetworking",
    description=(
        "A program's network infrastructure (`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`) "
        "in one region."
    ),
    inputs=AdvancedNetworkingInputs,
    outputs=AdvancedNetworkingOutputs,
    operations=AdvancedNetworkingOperations(),
    id_format="{program_id}/{infrastructure_id}",
    # A program has one kind and one infrastructure per region: old and new cannot coexist.
    delete_before_replace=True,
    identities=identities,
    identity_property="region",
)
