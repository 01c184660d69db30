"""Advanced networking on one environment: get, enable or change (PUT), disable (DELETE)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.advanced_networking import program_infrastructures
from aem_pulumi.emulator.context import current, start_operation
from aem_pulumi.emulator.environments import (
    ensure_writable,
    environment_body,
    environment_path,
    find_environment,
)
from aem_pulumi.emulator.errors import Shape, invalid_request
from aem_pulumi.emulator.lifecycles import infrastructure_status
from aem_pulumi.emulator.records import (
    READY,
    EnvironmentRecord,
    InfrastructureRecord,
    NetworkingRecord,
)
from aem_pulumi.emulator.wire import hal_list, json_response, link, read_body
from aem_pulumi.models.environment_advanced_networking import (
    AdvancedNetworkingConfiguration,
    AdvancedNetworkingUpdate,
    PortForward,
)

PATH = "/api/program/<program_id>/environment/<environment_id>/advancedNetworking"
WILDCARD_REASON = "a wildcard '*' is only allowed at the start, as in '*.example.com'"
FLEXIBLE = "flexiblePortEgress"
FLEXIBLE_REASON = (
    "program {program_id} uses flexiblePortEgress: non-proxy hosts are only available with"
    " dedicatedEgressIp and vpn"
)
# The spec's 400 for PUT and DELETE here is "Validation exception" (docs/emulator-contract.md).
SHAPE = Shape.PROBLEM
Problems = list[tuple[str, str]]

blueprint = Blueprint("environment_advanced_networking", __name__)


def configuration_body(env: EnvironmentRecord, infra: InfrastructureRecord) -> dict[str, Any]:
    """The environment's configuration as seen from one infrastructure's region."""
    networking = env.networking or NetworkingRecord()
    body = AdvancedNetworkingConfiguration(
        program_id=env.program_id,
        environment_id=env.id,
        network_infrastructure_id=infra.id,
        non_proxy_hosts=networking.non_proxy_hosts,
        port_forwards=networking.port_forwards,
        advanced_networking_enabled=env.networking is not None,
        links={"self": link(f"{environment_path(env.program_id, env.id)}/advancedNetworking")},
    )
    return body.to_api()


@blueprint.get(PATH)
def get_environment_advanced_networking_configuration_list(
    program_id: str, environment_id: str
) -> Response:
    """One configuration per region that has an infrastructure."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        infrastructures = program_infrastructures(transaction.state, program_id)
        items = [configuration_body(env, infra) for infra in infrastructures]
    path = f"{environment_path(program_id, environment_id)}/advancedNetworking"
    return json_response(hal_list("networkingConfigurations", items, path))


@blueprint.put(PATH)
def enable_environment_advanced_networking_configuration(
    program_id: str, environment_id: str
) -> Response:
    """Enable, or replace the whole configuration; 200 with the environment `updating`."""
    with current().store.transaction() as transaction:
        state, now = transaction.state, transaction.now
        env = find_environment(state, program_id, environment_id)
        infrastructures = program_infrastructures(state, program_id)
        networking = _networking(read_body(AdvancedNetworkingUpdate, SHAPE), infrastructures)
        _ensure_ready_infrastructure(program_id, infrastructures, now)
        ensure_writable(env, now)
        previous = None if env.networking is None else env.networking.model_dump()
        env.networking = networking
        env.operation = start_operation("environment_update", now, previous=previous)
        transaction.settle()
        return json_response(environment_body(env, now))


def _networking(
    requested: AdvancedNetworkingUpdate, infrastructures: list[InfrastructureRecord]
) -> NetworkingRecord:
    """The configuration to store; 400 for bad non-proxy hosts or a repeated `portOrig`."""
    hosts = requested.non_proxy_hosts or []
    forwards = requested.port_forwards or []
    invalid = _host_problems(hosts, infrastructures) + _port_forward_problems(forwards)
    if invalid:
        raise invalid_request(SHAPE, invalid)
    return NetworkingRecord(non_proxy_hosts=hosts, port_forwards=forwards)


def _host_problems(hosts: list[str], infrastructures: list[InfrastructureRecord]) -> Problems:
    """Non-proxy hosts on a flexible program, or empty, with spaces or a wildcard not leading."""
    flexible = [infra for infra in infrastructures if infra.kind == FLEXIBLE]
    if hosts and flexible:
        program_id = flexible[0].program_id
        return [("nonProxyHosts", FLEXIBLE_REASON.format(program_id=program_id))]
    problems: Problems = []
    for index, host in enumerate(hosts):
        if not host.strip() or " " in host:
            problems.append((f"nonProxyHosts[{index}]", "must be a host name without spaces"))
        elif "*" in host[1:] or host == "*":
            problems.append((f"nonProxyHosts[{index}]", WILDCARD_REASON))
    return problems


def _port_forward_problems(forwards: list[PortForward]) -> Problems:
    """Rules whose `portOrig` an earlier rule already uses."""
    problems: Problems = []
    first_use: dict[int, int] = {}
    for index, rule in enumerate(forwards):
        earlier = first_use.setdefault(rule.port_orig, index)
        if earlier != index:
            reason = f"{rule.port_orig} is already used by portForwards[{earlier}]; must be unique"
            problems.append((f"portForwards[{index}].portOrig", reason))
    return problems


def _ensure_ready_infrastructure(
    program_id: str, infrastructures: list[InfrastructureRecord], now: float
) -> None:
    """Advanced networking needs a `ready` infrastructure in the program."""
    if not any(infrastructure_status(infra, now) == READY for infra in infrastructures):
        reason = f"program {program_id} has no ready network infrastructure"
        raise invalid_request(SHAPE, [("programId", reason)])


@blueprint.delete(PATH)
def disable_environment_advanced_networking_configuration(
    program_id: str, environment_id: str
) -> Response:
    """Disable advanced networking; 400 when it is not enabled."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        if env.networking is None:
            reason = f"advanced networking is not enabled on environment {env.id}"
            raise invalid_request(SHAPE, [("environmentId", reason)])
        ensure_writable(env, transaction.now)
        previous = env.networking.model_dump()
        env.networking = None
        env.operation = start_operation("environment_update", transaction.now, previous=previous)
        transaction.settle()
        return json_response(environment_body(env, transaction.now))
