"""Environment variables and secrets: list (secret values never shown) and PATCH."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.context import current, start_operation
from aem_pulumi.emulator.environments import ensure_writable, environment_path, find_environment
from aem_pulumi.emulator.errors import Shape, invalid_request
from aem_pulumi.emulator.programs import program_path
from aem_pulumi.emulator.records import (
    CREATING,
    DELETING,
    UPDATING,
    EnvironmentRecord,
    VariableRecord,
)
from aem_pulumi.emulator.wire import hal_list, json_response, link, read_body
from aem_pulumi.models.base import REL
from aem_pulumi.models.variables import (
    MAX_VARIABLES,
    SECRET,
    SECRET_VALUE_MAX,
    STRING,
    Variable,
    VariableUpdate,
    variable_key,
)

PATH = "/api/program/<program_id>/environment/<environment_id>/variables"
ALL_SERVICES = ""
# Adobe's JS SDK fixture for a refused variables PATCH is a `validation-exception` problem.
SHAPE = Shape.PROBLEM

Key = tuple[str, str | None]
Problems = list[tuple[str, str]]

blueprint = Blueprint("variables", __name__)


def variable_body(variable: VariableRecord) -> dict[str, Any]:
    """A variable as GET lists it: a `secretString` without its value, all services as `""`.

    The real backend lists an all-services variable with `"service": ""` (wcm-io's pippo had to
    read exactly that); the behaviour page makes the emulator do the same.
    """
    value = None if variable.type == SECRET else variable.value
    body = Variable(
        name=variable.name,
        value=value,
        type=variable.type,
        service=variable.service,
        status=variable.pending or variable.status,
    )
    # The shared model's `service` lists the request-side values only, so "" is set on the wire.
    return {**body.to_api(), "service": variable.service or ALL_SERVICES}


@blueprint.get(PATH)
def get_environment_variables(program_id: str, environment_id: str) -> Response:
    """The environment's variables, each with its status."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        ordered = sorted(env.variables, key=lambda v: (v.name, v.service or ""))
        items = [variable_body(variable) for variable in ordered]
    path = environment_path(program_id, environment_id)
    body = hal_list("variables", items, f"{path}/variables")
    body["_links"][f"{REL}environment"] = link(path).to_api()
    body["_links"][f"{REL}program"] = link(program_path(program_id)).to_api()
    return json_response(body)


@blueprint.patch(PATH)
def patch_environment_variables(program_id: str, environment_id: str) -> Response:
    """Create, change or delete (empty value) variables; 204, the environment `updating`."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        updates = read_body(list[VariableUpdate], SHAPE)
        _check_updates(env, updates)
        ensure_writable(env, transaction.now)
        if updates:
            _apply(env, updates)
            env.operation = start_operation("variables_update", transaction.now)
            transaction.settle()
    return Response(status=204)


def _check_updates(env: EnvironmentRecord, updates: list[VariableUpdate]) -> None:
    """400 for a long secret, a repeated variable, a type change, or more than 200 variables."""
    existing = {variable_key(v.name, v.service): v for v in env.variables}
    problems: Problems = []
    first_index: dict[Key, int] = {}
    for index, update in enumerate(updates):
        key = variable_key(update.name, update.service)
        earlier = first_index.setdefault(key, index)
        if earlier != index:
            problems.append((f"[{index}].name", f"repeats [{earlier}] (same name and service)"))
        problems += _update_problems(f"[{index}]", update, existing.get(key))
    if problems:
        raise invalid_request(SHAPE, problems)
    count = _count_after(existing.keys(), updates)
    if count > MAX_VARIABLES:
        reason = f"environment {env.id} would hold {count} variables; at most {MAX_VARIABLES}"
        raise invalid_request(SHAPE, [("body", reason)])


def _update_problems(
    prefix: str, update: VariableUpdate, existing: VariableRecord | None
) -> Problems:
    """What is wrong with one item, given the variable it changes (if any)."""
    if update.type == SECRET and len(update.value) > SECRET_VALUE_MAX:
        return [(f"{prefix}.value", "a secretString value must be less than 500 characters")]
    sent_type = update.type or STRING
    if existing is None or existing.type == sent_type:
        return []
    if not update.value:
        reason = f"{update.name} is a {existing.type}: send type {existing.type} to delete it"
    else:
        reason = (
            f"the type of {update.name} cannot change from {existing.type} to {sent_type};"
            " delete it, then create it"
        )
    return [(f"{prefix}.type", reason)]


def _count_after(existing: Iterable[Key], updates: list[VariableUpdate]) -> int:
    """How many variables the environment holds once the updates are applied."""
    keys: set[Key] = set(existing)
    for update in updates:
        key = variable_key(update.name, update.service)
        if update.value:
            keys.add(key)
        else:
            keys.discard(key)
    return len(keys)


def _apply(env: EnvironmentRecord, updates: list[VariableUpdate]) -> None:
    """Store the new values; each touched variable is creating, updating or deleting."""
    by_key = {variable_key(v.name, v.service): v for v in env.variables}
    for update in updates:
        key = variable_key(update.name, update.service)
        variable = by_key.get(key)
        if not update.value:
            if variable is not None:
                variable.pending = DELETING
        elif variable is None:
            by_key[key] = _created(update)
            env.variables.append(by_key[key])
        else:
            variable.value = update.value
            variable.pending = UPDATING


def _created(update: VariableUpdate) -> VariableRecord:
    """A variable a PATCH creates."""
    return VariableRecord(
        name=update.name,
        service=update.service,
        type=update.type or STRING,
        value=update.value,
        status=CREATING,
        pending=CREATING,
    )
