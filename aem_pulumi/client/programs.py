"""Program and region operations."""

from __future__ import annotations

from aem_pulumi.client.transport import Transport
from aem_pulumi.models.base import embedded
from aem_pulumi.models.programs import Program, Region


class ProgramOperations(Transport):
    """`getProgram`, `getProgramRegions`."""

    def get_program(self, program_id: str) -> Program:
        """The program, or `NotFoundError`."""
        return Program.model_validate(self._request("GET", f"/api/program/{program_id}").json())

    def list_regions(self, program_id: str) -> list[Region]:
        """The regions the program may use."""
        body = self._request("GET", f"/api/program/{program_id}/regions").json()
        return [Region.model_validate(item) for item in embedded(body, "regions")]
