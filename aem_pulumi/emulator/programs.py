"""Programs and their regions (`getProgram`, `getProgramRegions`)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.auth import ORG_ID
from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import not_found
from aem_pulumi.emulator.records import ProgramRecord, State
from aem_pulumi.emulator.wire import hal_list, json_response, link
from aem_pulumi.models.base import REL
from aem_pulumi.models.programs import Program, ProgramCapabilities, Region

blueprint = Blueprint("programs", __name__)


def program_path(program_id: str) -> str:
    """The API path of a program."""
    return f"/api/program/{program_id}"


def find_program(state: State, program_id: str) -> ProgramRecord:
    """The program, or a 404."""
    program = state.programs.get(program_id)
    if program is None:
        raise not_found(f"Program {program_id} not found")
    return program


def program_body(program: ProgramRecord) -> dict[str, Any]:
    """A program as the API answers it."""
    path = program_path(program.id)
    body = Program(
        id=program.id,
        name=program.name,
        enabled=True,
        tenant_id="emulator",
        ims_org_id=ORG_ID,
        status="ready",
        type="aem_cloud_service",
        capabilities=ProgramCapabilities(sandbox=program.sandbox),
        links={
            "self": link(path),
            f"{REL}environments": link(f"{path}/environments"),
            f"{REL}regions": link(f"{path}/regions"),
            f"{REL}networkInfrastructures": link(f"{path}/networkInfrastructures"),
        },
    )
    return body.to_api()


@blueprint.get("/api/program/<program_id>")
def get_program(program_id: str) -> Response:
    """One program."""
    with current().store.transaction() as transaction:
        return json_response(program_body(find_program(transaction.state, program_id)))


@blueprint.get("/api/program/<program_id>/regions")
def get_program_regions(program_id: str) -> Response:
    """The regions the program may use."""
    with current().store.transaction() as transaction:
        program = find_program(transaction.state, program_id)
    regions = [Region(name=name).to_api() for name in program.regions]
    return json_response(hal_list("regions", regions, f"{program_path(program_id)}/regions"))
