"""The control plane (`/__emulator/`): reset, seed data, timings, faults, request log, tokens.

No authentication, never logged, never faulted (see docs/emulator-contract.md).
"""

from __future__ import annotations

from typing import Any, Literal

from flask import Blueprint, Response
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.environments import environment_body, find_environment
from aem_pulumi.emulator.errors import bad_request, validation_failed
from aem_pulumi.emulator.faults import FaultSpec
from aem_pulumi.emulator.programs import find_program
from aem_pulumi.emulator.records import EnvironmentRecord, ProgramRecord, new_region_deployment
from aem_pulumi.emulator.region_deployments import deployment_body
from aem_pulumi.emulator.wire import json_response, read_body

EnvironmentStatus = Literal[
    "creating",
    "ready",
    "deleting",
    "deleted",
    "updating",
    "failed",
    "deploy_failed",
    "created",
    "restoring",
    "restore_failed",
    "resetting",
    "reset_failed",
    "degraded",
    "hibernated",
]

blueprint = Blueprint("control", __name__)


class NewProgram(BaseModel):
    """`POST /__emulator/programs`; the id is generated when absent."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: str | None = None
    name: str = Field(min_length=1)
    regions: list[str] = Field(min_length=1)
    sandbox: bool = False


class NewEnvironment(BaseModel):
    """`POST /__emulator/programs/{p}/environments`; region defaults to the program's first."""

    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)

    id: str | None = None
    name: str = Field(min_length=1)
    type: Literal["dev", "stage", "prod", "rde", "preprod"]
    region: str | None = None
    status: EnvironmentStatus = "ready"


class NewRegionDeployment(BaseModel):
    """`POST /__emulator/programs/{p}/environments/{e}/regionDeployments`."""

    model_config = ConfigDict(extra="forbid")

    region: str = Field(min_length=1)


class Busy(BaseModel):
    """`POST .../busy`: the environment is `updating` for that many seconds."""

    model_config = ConfigDict(extra="forbid")

    seconds: float = Field(ge=0)


@blueprint.post("/reset")
def reset() -> Response:
    """Back to the seed, the command line's timings, no faults and an empty request log."""
    emulator = current()
    emulator.store.reset()
    emulator.timings = emulator.default_timings
    emulator.faults.clear()
    emulator.log.clear()
    return json_response({"reset": True})


@blueprint.post("/programs")
def add_program() -> Response:
    """Add a program."""
    new = read_body(NewProgram)
    with current().store.transaction() as transaction:
        programs = transaction.state.programs
        program_id = new.id or transaction.state.new_id(programs)
        if program_id in programs:
            raise bad_request(f"Program {program_id} already exists", status=409)
        program = ProgramRecord(
            id=program_id, name=new.name, regions=new.regions, sandbox=new.sandbox
        )
        programs[program_id] = program
    return json_response(program.model_dump(), 201)


@blueprint.post("/programs/<program_id>/environments")
def add_environment(program_id: str) -> Response:
    """Add an environment to a program."""
    new = read_body(NewEnvironment)
    with current().store.transaction() as transaction:
        state = transaction.state
        program = find_program(state, program_id)
        region = new.region or program.regions[0]
        if region not in program.regions:
            reason = f"{region} is not a region of program {program_id}"
            raise bad_request("Validation failed", invalid=[("region", reason)])
        env_id = new.id or state.new_id(state.environments)
        if env_id in state.environments:
            raise bad_request(f"Environment {env_id} already exists", status=409)
        primary = new_region_deployment(state, region, primary=True, now=transaction.now)
        env = EnvironmentRecord(
            id=env_id,
            program_id=program_id,
            name=new.name,
            type=new.type,
            region=region,
            status=new.status,
            region_deployments=[primary],
        )
        state.environments[env_id] = env
        return json_response(environment_body(env, transaction.now), 201)


@blueprint.post("/programs/<program_id>/environments/<environment_id>/regionDeployments")
def add_region_deployment(program_id: str, environment_id: str) -> Response:
    """Make an environment run in one more of its program's regions (a publish region)."""
    new = read_body(NewRegionDeployment)
    with current().store.transaction() as transaction:
        state = transaction.state
        program = find_program(state, program_id)
        env = find_environment(state, program_id, environment_id)
        if new.region not in program.regions:
            reason = f"{new.region} is not a region of program {program_id}"
            raise bad_request("Validation failed", invalid=[("region", reason)])
        if new.region in env.regions():
            title = f"Environment {env.id} already runs in {new.region}"
            raise bad_request(title, status=409)
        deployment = new_region_deployment(state, new.region, primary=False, now=transaction.now)
        env.region_deployments.append(deployment)
        return json_response(deployment_body(env, deployment), 201)


@blueprint.post("/programs/<program_id>/environments/<environment_id>/busy")
def make_busy(program_id: str, environment_id: str) -> Response:
    """Keep an environment `updating` for a while, as a pipeline run would."""
    busy = read_body(Busy)
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        env.busy_until = max(env.busy_until, transaction.now + busy.seconds)
        return json_response(environment_body(env, transaction.now))


@blueprint.get("/timings")
def get_timings() -> Response:
    """The current durations."""
    return json_response(current().timings.model_dump())


@blueprint.put("/timings")
def put_timings() -> Response:
    """Change some durations; the others stay."""
    changes = read_body(dict[str, Any])
    emulator = current()
    try:
        emulator.timings = emulator.timings.updated(changes)
    except ValidationError as error:
        raise validation_failed(error) from error
    return json_response(emulator.timings.model_dump())


@blueprint.post("/faults")
def add_fault() -> Response:
    """Arm a fault."""
    spec = read_body(FaultSpec)
    problems = spec.problems()
    if problems:
        raise bad_request("Validation failed", invalid=problems)
    fault = current().faults.add(spec)
    return json_response(fault.to_json(), 201)


@blueprint.get("/faults")
def get_faults() -> Response:
    """The armed faults."""
    return json_response({"faults": current().faults.list()})


@blueprint.delete("/faults")
def clear_faults() -> Response:
    """Disarm every fault."""
    current().faults.clear()
    return Response(status=204)


@blueprint.get("/requests")
def get_requests() -> Response:
    """The API and IMS calls received, in order."""
    return json_response({"requests": current().log.entries()})


@blueprint.delete("/requests")
def clear_requests() -> Response:
    """Forget the calls received so far."""
    current().log.clear()
    return Response(status=204)


@blueprint.post("/tokens/revoke")
def revoke_tokens() -> Response:
    """Invalidate every token issued so far."""
    with current().store.transaction() as transaction:
        revoked = len(transaction.state.tokens)
        transaction.state.tokens.clear()
    return json_response({"revoked": revoked})
