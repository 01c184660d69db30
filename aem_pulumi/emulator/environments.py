"""Environments of a program (`getEnvironments`, `getEnvironment`) and their busy rule."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, request

from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import bad_request, not_found
from aem_pulumi.emulator.lifecycles import environment_status
from aem_pulumi.emulator.programs import find_program, program_path
from aem_pulumi.emulator.records import FAILED, READY, EnvironmentRecord, State
from aem_pulumi.emulator.wire import hal_list, json_response, link
from aem_pulumi.models.base import REL, HalLink
from aem_pulumi.models.environments import Environment

# The form of Adobe's JS SDK fixtures (test/jest/jest.fetch.setup.js).
LOGS_TEMPLATE = "logs?service={service}&name={name}&days={days}"
ENVIRONMENT_TYPES = ("dev", "stage", "prod", "rde", "preprod")
# Writes are accepted in these statuses only (see docs/emulator-contract.md).
WRITABLE = (READY, FAILED)

blueprint = Blueprint("environments", __name__)


def environment_path(program_id: str, environment_id: str) -> str:
    """The API path of an environment."""
    return f"{program_path(program_id)}/environment/{environment_id}"


def find_environment(state: State, program_id: str, environment_id: str) -> EnvironmentRecord:
    """The environment of that program, or a 404 (for the program or the environment)."""
    find_program(state, program_id)
    env = state.environments.get(environment_id)
    if env is None or env.program_id != program_id:
        raise not_found(f"Environment {environment_id} not found in program {program_id}")
    return env


def ensure_writable(env: EnvironmentRecord, now: float) -> None:
    """Refuse a write to a busy environment with the configured status (409 or 400)."""
    status = environment_status(env, now)
    if status not in WRITABLE:
        title = f"Environment {env.id} is busy (status {status})"
        raise bad_request(title, status=current().busy_status)


def environment_links(env: EnvironmentRecord) -> dict[str, HalLink]:
    """Every relation the spec's `Environment` gives an environment (no pipeline is assigned)."""
    path = environment_path(env.program_id, env.id)
    host = f"p{env.program_id}-e{env.id}.adobeaemcloud.com"
    console = (
        f"https://dev-console-ns-team-aem-cm-n{env.id}.ethos{env.region}.dev.adobeaemcloud.com"
    )
    links = {
        "self": link(path),
        f"{REL}program": link(program_path(env.program_id)),
        f"{REL}advancedNetworking": link(f"{path}/advancedNetworking"),
        f"{REL}variables": link(f"{path}/variables"),
        f"{REL}logs": HalLink(href=f"{path}/{LOGS_TEMPLATE}", templated=True),
        f"{REL}developerConsole": link(f"{console}/dc/"),
    }
    for service in ("author", "publish", "preview"):
        links[f"{REL}{service}"] = link(f"https://{service}-{host}")
    return links


def environment_body(env: EnvironmentRecord, now: float) -> dict[str, Any]:
    """An environment as the API answers it."""
    body = Environment(
        id=env.id,
        program_id=env.program_id,
        name=env.name,
        type=env.type,
        status=environment_status(env, now),
        region=env.region,
        links=environment_links(env),
    )
    return body.to_api()


@blueprint.get("/api/program/<program_id>/environments")
def get_environments(program_id: str) -> Response:
    """The program's environments, optionally of one `type`."""
    wanted = request.args.get("type")
    if wanted is not None and wanted not in ENVIRONMENT_TYPES:
        reason = f"must be one of {', '.join(ENVIRONMENT_TYPES)}"
        raise bad_request("Validation failed", invalid=[("type", reason)])
    with current().store.transaction() as transaction:
        find_program(transaction.state, program_id)
        items = [
            environment_body(env, transaction.now)
            for env in transaction.state.environments.values()
            if env.program_id == program_id and wanted in (None, env.type)
        ]
    path = f"{program_path(program_id)}/environments"
    return json_response(hal_list("environments", items, path))


@blueprint.get("/api/program/<program_id>/environment/<environment_id>")
def get_environment(program_id: str, environment_id: str) -> Response:
    """One environment."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        return json_response(environment_body(env, transaction.now))
