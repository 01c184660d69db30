"""Programs from the top (`getPrograms`), one program (`getProgram`) and its regions."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.auth import ORG_ID
from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import not_found
from aem_pulumi.emulator.records import ProgramRecord, State
from aem_pulumi.emulator.wire import hal_list, json_response, link
from aem_pulumi.models.base import REL, HalLink
from aem_pulumi.models.programs import Program, ProgramCapabilities, Region

TENANT_ID = "emulator"
"""The one tenant of the emulator's organisation; every program belongs to it."""
PROGRAMS_PATH = "/api/programs"
# Program relations whose targets the emulator does not serve (`not_emulated.py` answers 501).
NOT_EMULATED = ("pipelines", "repositories", "ipAllowlists", "certificates")

blueprint = Blueprint("programs", __name__)


def program_path(program_id: str) -> str:
    """The API path of a program."""
    return f"/api/program/{program_id}"


def tenant_path(tenant_id: str = TENANT_ID) -> str:
    """The API path of a tenant."""
    return f"/api/tenant/{tenant_id}"


def find_program(state: State, program_id: str) -> ProgramRecord:
    """The program, or a 404."""
    program = state.programs.get(program_id)
    if program is None:
        raise not_found(f"Program {program_id} not found")
    return program


def program_links(program_id: str) -> dict[str, HalLink]:
    """Every relation the spec's `Program` gives a program."""
    path = program_path(program_id)
    links = {"self": link(path), f"{REL}tenant": link(tenant_path())}
    for rel in ("environments", "regions", "networkInfrastructures", *NOT_EMULATED):
        links[f"{REL}{rel}"] = link(f"{path}/{rel}")
    return links


def program_body(program: ProgramRecord) -> dict[str, Any]:
    """A program as `getProgram` answers it."""
    body = Program(
        id=program.id,
        name=program.name,
        enabled=True,
        tenant_id=TENANT_ID,
        ims_org_id=ORG_ID,
        status="ready",
        type="aem_cloud_service",
        capabilities=ProgramCapabilities(sandbox=program.sandbox),
        links=program_links(program.id),
    )
    return body.to_api()


def embedded_program_body(program: ProgramRecord) -> dict[str, Any]:
    """A program as a program list embeds it (spec `EmbeddedProgram`).

    Its links are the spec's (`self`, `tenant`) plus `environments`, which the behaviour page
    gives each listed program.
    """
    path = program_path(program.id)
    links = {
        "self": link(path),
        f"{REL}tenant": link(tenant_path()),
        f"{REL}environments": link(f"{path}/environments"),
    }
    body = Program(
        id=program.id,
        name=program.name,
        enabled=True,
        tenant_id=TENANT_ID,
        status="ready",
        links=links,
    )
    return body.to_api()


def program_list(state: State, self_href: str) -> dict[str, Any]:
    """Every program the credentials can see, by id (spec `ProgramList`)."""
    programs = sorted(state.programs.values(), key=lambda program: program.id)
    return hal_list("programs", [embedded_program_body(p) for p in programs], self_href)


@blueprint.get(PROGRAMS_PATH)
def get_programs() -> Response:
    """The programs of the organisation: where HAL navigation starts."""
    with current().store.transaction() as transaction:
        return json_response(program_list(transaction.state, PROGRAMS_PATH))


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
