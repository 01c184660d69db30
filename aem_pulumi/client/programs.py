"""Program and region operations."""

from __future__ import annotations

from aem_pulumi.client.transport import Transport
from aem_pulumi.models.programs import Program, Region


class ProgramOperations(Transport):
    """`getProgram`, `getProgramRegions`."""

    def get_program(self, program_id: str) -> Program:
        """The program, or `NotFoundError`."""
        return self._read(Program, "GET", f"/api/program/{program_id}")

    def list_regions(self, program_id: str) -> list[Region]:
        """The regions the program may use."""
        return self._read_list(Region, f"/api/program/{program_id}/regions", "regions")
