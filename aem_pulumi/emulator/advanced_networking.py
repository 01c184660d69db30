"""Network infrastructures of a program: list, create, get, update (VPN only) and delete."""

from __future__ import annotations

import ipaddress
from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.context import current, start_operation
from aem_pulumi.emulator.errors import bad_request, not_found
from aem_pulumi.emulator.lifecycles import INFRASTRUCTURE_PENDING, infrastructure_status
from aem_pulumi.emulator.programs import find_program, program_path
from aem_pulumi.emulator.records import (
    CREATING,
    EnvironmentRecord,
    InfrastructureRecord,
    ProgramRecord,
    State,
)
from aem_pulumi.emulator.store import Transaction
from aem_pulumi.emulator.wire import hal_list, json_response, link, read_body, timestamp
from aem_pulumi.models.advanced_networking import DELETED, NetworkInfrastructure, VpnConnection
from aem_pulumi.models.base import REL
from aem_pulumi.models.errors import ErrorDetails

VPN_FIELDS = ("addressSpace", "dns", "connections")
SMALLEST_ADDRESS_SPACE = 26  # "one /26 CIDR (64 IP addresses) or bigger" (spec)
CANNOT_CREATE = "Network infrastructure cannot be created"
CANNOT_UPDATE = "Network infrastructure cannot be updated"
# The spec's VpnConnection requires `sharedKey` in answers too; the emulator never echoes the
# secret (it must be sent with every PUT), so answers carry this mask instead.
MASKED_SHARED_KEY = "********"

Problems = list[tuple[str, str]]

blueprint = Blueprint("advanced_networking", __name__)


def infrastructure_path(program_id: str, infrastructure_id: str) -> str:
    """The API path of an infrastructure (note the singular `networkInfrastructure`)."""
    return f"{program_path(program_id)}/networkInfrastructure/{infrastructure_id}"


def find_infrastructure(
    state: State, program_id: str, infrastructure_id: str
) -> InfrastructureRecord:
    """The infrastructure of that program, or a 404."""
    find_program(state, program_id)
    infra = state.infrastructures.get(infrastructure_id)
    if infra is None or infra.program_id != program_id:
        title = f"Network infrastructure {infrastructure_id} not found in program {program_id}"
        raise not_found(title)
    return infra


def program_infrastructures(state: State, program_id: str) -> list[InfrastructureRecord]:
    """The program's infrastructures, oldest first."""
    found = [i for i in state.infrastructures.values() if i.program_id == program_id]
    return sorted(found, key=lambda infra: (infra.created, int(infra.id)))


def infrastructure_body(infra: InfrastructureRecord, now: float) -> dict[str, Any]:
    """An infrastructure as the API answers it; VPN shared keys are masked."""
    details = infra.status_details
    body = NetworkInfrastructure(
        kind=infra.kind,
        region=infra.region,
        id=infra.id,
        program_id=infra.program_id,
        status=infrastructure_status(infra, now),
        is_primary_region=infra.is_primary_region,
        created=timestamp(infra.created),
        updated=timestamp(infra.updated),
        status_details=None if details is None else ErrorDetails.model_validate(details),
        links={
            "self": link(infrastructure_path(infra.program_id, infra.id)),
            f"{REL}program": link(program_path(infra.program_id)),
        },
    )
    return {**body.to_api(), **_public_settings(infra.settings)}


def _public_settings(settings: dict[str, Any]) -> dict[str, Any]:
    """The VPN settings with the connections' shared keys masked."""
    connections = settings.get("connections")
    if connections is None:
        return dict(settings)
    masked = [{**connection, "sharedKey": MASKED_SHARED_KEY} for connection in connections]
    return {**settings, "connections": masked}


@blueprint.get("/api/program/<program_id>/networkInfrastructures")
def get_network_infrastructures(program_id: str) -> Response:
    """The program's infrastructures."""
    with current().store.transaction() as transaction:
        find_program(transaction.state, program_id)
        items = [
            infrastructure_body(infra, transaction.now)
            for infra in program_infrastructures(transaction.state, program_id)
        ]
    path = f"{program_path(program_id)}/networkInfrastructures"
    return json_response(hal_list("networkInfrastructures", items, path))


@blueprint.get("/api/program/<program_id>/networkInfrastructure/<infrastructure_id>")
def get_network_infrastructure(program_id: str, infrastructure_id: str) -> Response:
    """One infrastructure."""
    with current().store.transaction() as transaction:
        infra = find_infrastructure(transaction.state, program_id, infrastructure_id)
        return json_response(infrastructure_body(infra, transaction.now))


@blueprint.post("/api/program/<program_id>/networkInfrastructures")
def create_network_infrastructure(program_id: str) -> Response:
    """Start creating an infrastructure: 201 `creating` (`ready` when the timing is 0)."""
    with current().store.transaction() as transaction:
        program = find_program(transaction.state, program_id)
        if program.sandbox:
            title = f"Program {program_id} is a sandbox program: advanced networking is unavailable"
            raise bad_request(title)
        requested = read_body(NetworkInfrastructure)
        _raise_if_invalid(*_settings_problems(requested, requested.kind, creating=True))
        production = _production_environment(transaction.state, program)
        _check_placement(transaction.state, program, requested, production)
        infra = _new_infrastructure(transaction, program_id, requested, production.region)
        transaction.settle()
        return json_response(infrastructure_body(infra, transaction.now), 201)


def _production_environment(state: State, program: ProgramRecord) -> EnvironmentRecord:
    """The program's production environment; 400 when it does not exist yet."""
    for env in state.environments.values():
        if env.program_id == program.id and env.type == "prod":
            return env
    title = f"Program {program.id} has no production environment; create it first"
    raise bad_request(title)


def _check_placement(
    state: State,
    program: ProgramRecord,
    requested: NetworkInfrastructure,
    production: EnvironmentRecord,
) -> None:
    """One kind per program; one infrastructure per production region, the primary one first."""
    existing = program_infrastructures(state, program.id)
    kinds = sorted({infra.kind for infra in existing})
    if kinds and requested.kind not in kinds:
        reason = f"program {program.id} already uses {kinds[0]}; a program uses one kind only"
        raise bad_request(CANNOT_CREATE, invalid=[("kind", reason)])
    region_problem = _region_problem(program, existing, requested.region, production)
    if region_problem is not None:
        raise bad_request(CANNOT_CREATE, invalid=[("region", region_problem)])


def _region_problem(
    program: ProgramRecord,
    existing: list[InfrastructureRecord],
    region: str,
    production: EnvironmentRecord,
) -> str | None:
    """Why an infrastructure cannot go in `region`, None when it can."""
    if region not in program.regions:
        return f"{region} is not a region of program {program.id} ({', '.join(program.regions)})"
    regions = production.regions()
    if region not in regions:
        runs_in = ", ".join(regions)
        return f"the production environment {production.id} does not run in {region} ({runs_in})"
    taken = next((infra for infra in existing if infra.region == region), None)
    if taken is not None:
        return f"network infrastructure {taken.id} already exists in region {region}"
    primary = regions[0]
    if region != primary and all(infra.region != primary for infra in existing):
        return f"the first network infrastructure must be in the primary region {primary}"
    return None


def _new_infrastructure(
    transaction: Transaction, program_id: str, requested: NetworkInfrastructure, primary: str
) -> InfrastructureRecord:
    """Store a new infrastructure whose creation starts now."""
    state, now = transaction.state, transaction.now
    vpn = requested.kind == "vpn"
    infra = InfrastructureRecord(
        id=state.new_id(state.infrastructures),
        program_id=program_id,
        kind=requested.kind,
        region=requested.region,
        is_primary_region=requested.region == primary,
        created=now,
        updated=now,
        status=CREATING,
        settings=_settings(requested),
        operation=start_operation("infrastructure_create", now, vpn=vpn),
    )
    state.infrastructures[infra.id] = infra
    return infra


def _settings(requested: NetworkInfrastructure) -> dict[str, Any]:
    """The VPN fields of a request in their wire form."""
    return {k: v for k, v in requested.to_api().items() if k in VPN_FIELDS}


def _raise_if_invalid(invalid: Problems, missing: list[str]) -> None:
    """A 400 `Validation failed` when anything is invalid or missing."""
    if invalid or missing:
        raise bad_request("Validation failed", invalid=invalid, missing=missing)


def _settings_problems(
    requested: NetworkInfrastructure, kind: str, *, creating: bool
) -> tuple[Problems, list[str]]:
    """VPN fields: required (address space at creation only) for `vpn`, refused otherwise."""
    if kind != "vpn":
        sent = [name for name in VPN_FIELDS if name in _settings(requested)]
        return [(name, "only applicable to vpn infrastructures") for name in sent], []
    missing = [] if requested.address_space or not creating else ["addressSpace"]
    if requested.dns is None or not requested.dns.resolvers:
        missing.append("dns.resolvers")
    if not requested.connections:
        missing.append("connections")
    invalid = _cidr_problems("addressSpace", requested.address_space or [], SMALLEST_ADDRESS_SPACE)
    resolvers = requested.dns.resolvers if requested.dns else []
    invalid += _ip_problems([(f"dns.resolvers[{i}]", value) for i, value in enumerate(resolvers)])
    for index, connection in enumerate(requested.connections or []):
        name = f"connections[{index}]"
        if connection.shared_key is None:  # optional in the shared model, required on writes
            missing.append(f"{name}.sharedKey")
        invalid += _connection_problems(name, connection)
    return invalid, missing


def _connection_problems(name: str, connection: VpnConnection) -> Problems:
    """What is wrong with one VPN connection beyond its schema."""
    problems: Problems = []
    if not connection.name:
        problems.append((f"{name}.name", "must not be empty"))
    if connection.shared_key == "":
        problems.append((f"{name}.sharedKey", "must not be empty"))
    problems += _ip_problems([(f"{name}.gateway.address", connection.gateway.address)])
    problems += _cidr_problems(f"{name}.gateway.addressSpace", connection.gateway.address_space)
    return problems


def _ip_problems(named_values: list[tuple[str, str]]) -> Problems:
    """The (parameter, value) pairs whose value is not an IP address."""
    problems: Problems = []
    for name, value in named_values:
        try:
            ipaddress.ip_address(value)
        except ValueError:
            problems.append((name, f"{value!r} is not an IP address"))
    return problems


def _cidr_problems(name: str, values: list[str], largest_prefix: int = 32) -> Problems:
    """Values that are not IPv4 CIDRs of at least the given size."""
    problems: Problems = []
    for index, value in enumerate(values):
        try:
            network = ipaddress.IPv4Network(value)
        except ValueError:
            problems.append((f"{name}[{index}]", f"{value!r} is not an IPv4 CIDR"))
            continue
        if network.prefixlen > largest_prefix:
            reason = f"{value} is smaller than a /{largest_prefix}"
            problems.append((f"{name}[{index}]", reason))
    return problems


def _ensure_editable(infra: InfrastructureRecord, now: float) -> None:
    """Nothing can be changed while an infrastructure is creating, updating or deleting."""
    status = infrastructure_status(infra, now)
    if status in INFRASTRUCTURE_PENDING.values():
        title = f"Network infrastructure {infra.id} cannot be changed while it is {status}"
        raise bad_request(title)


@blueprint.put("/api/program/<program_id>/networkInfrastructure/<infrastructure_id>")
def update_network_infrastructure(program_id: str, infrastructure_id: str) -> Response:
    """Start updating a VPN's DNS and connections (shared keys sent again)."""
    with current().store.transaction() as transaction:
        infra = find_infrastructure(transaction.state, program_id, infrastructure_id)
        _ensure_editable(infra, transaction.now)
        if infra.kind != "vpn":
            title = f"{CANNOT_UPDATE}: only vpn can be updated; delete {infra.kind} and create anew"
            raise bad_request(title)
        requested = read_body(NetworkInfrastructure)
        _check_update(infra, requested)
        previous = infra.settings
        infra.settings = {**previous, **_settings(requested)}
        infra.updated = transaction.now
        infra.operation = start_operation(
            "infrastructure_update", transaction.now, previous=previous
        )
        transaction.settle()
        return json_response(infrastructure_body(infra, transaction.now))


def _check_update(infra: InfrastructureRecord, requested: NetworkInfrastructure) -> None:
    """Kind, region and address space cannot change; the VPN fields must be complete."""
    fixed = [("kind", infra.kind, requested.kind), ("region", infra.region, requested.region)]
    if requested.address_space is not None:
        stored_space = ", ".join(infra.settings.get("addressSpace", []))
        fixed.append(("addressSpace", stored_space, ", ".join(requested.address_space)))
    reason = "cannot be changed (is {}); delete and create anew"
    changed = [(name, reason.format(stored)) for name, stored, sent in fixed if stored != sent]
    invalid, missing = _settings_problems(requested, infra.kind, creating=False)
    _raise_if_invalid(changed + invalid, missing)


@blueprint.delete("/api/program/<program_id>/networkInfrastructure/<infrastructure_id>")
def delete_network_infrastructure(program_id: str, infrastructure_id: str) -> Response:
    """Start deleting an infrastructure; refused while an environment has advanced networking."""
    with current().store.transaction() as transaction:
        state, now = transaction.state, transaction.now
        infra = find_infrastructure(state, program_id, infrastructure_id)
        _ensure_editable(infra, now)
        enabled = _environments_with_networking(state, program_id)
        if enabled:
            reason = "advanced networking is enabled; disable it first"
            invalid = [(f"environment {env_id}", reason) for env_id in enabled]
            raise bad_request("Network Infrastructure cannot be deleted", invalid=invalid)
        infra.operation = start_operation("infrastructure_delete", now)
        transaction.settle()
        body = infrastructure_body(infra, now)
        if infra.id not in state.infrastructures:  # a delete timing of 0: already gone
            body["status"] = DELETED
        return json_response(body)


def _environments_with_networking(state: State, program_id: str) -> list[str]:
    """The ids of the program's environments that have advanced networking enabled."""
    return [
        env.id
        for env in state.environments.values()
        if env.program_id == program_id and env.networking is not None
    ]
