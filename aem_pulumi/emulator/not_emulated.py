"""The targets of HAL relations the emulator gives but does not serve: 501, naming what is missing.

Resources carry every relation the spec gives them, as the real service's do; following one to
pipelines, repositories, IP allow lists, certificates or logs answers 501 rather than a 404 that
would read as "this program has gone".
"""

from __future__ import annotations

from flask import Blueprint, Response

from aem_pulumi.emulator.errors import ApiError, bad_request
from aem_pulumi.emulator.programs import NOT_EMULATED

NOT_IMPLEMENTED = 501
_COLLECTIONS = f"any({', '.join(NOT_EMULATED)}):collection"

blueprint = Blueprint("not_emulated", __name__)


def _not_emulated(what: str) -> ApiError:
    """The 501 for one kind of resource."""
    return bad_request(f"The emulator does not serve {what}", status=NOT_IMPLEMENTED)


@blueprint.get(f"/api/program/<program_id>/<{_COLLECTIONS}>")
def get_program_collection(program_id: str, collection: str) -> Response:
    """A program's pipelines, repositories, IP allow lists or certificates."""
    raise _not_emulated(collection)


@blueprint.get("/api/program/<program_id>/environment/<environment_id>/logs")
def get_environment_logs(program_id: str, environment_id: str) -> Response:
    """An environment's logs."""
    raise _not_emulated("logs")
