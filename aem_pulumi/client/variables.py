"""Environment variable operations."""

from __future__ import annotations

from collections.abc import Sequence

from aem_pulumi.client.transport import Transport
from aem_pulumi.models.variables import Variable, VariableUpdate


def _path(program_id: str, environment_id: str) -> str:
    return f"/api/program/{program_id}/environment/{environment_id}/variables"


class VariableOperations(Transport):
    """List and patch an environment's variables; secret values are write-only."""

    def list_variables(self, program_id: str, environment_id: str) -> list[Variable]:
        """Every variable with its status; `secretString` ones come without a value."""
        return self._read_list(Variable, _path(program_id, environment_id), "variables")

    def patch_variables(
        self, program_id: str, environment_id: str, updates: Sequence[VariableUpdate]
    ) -> None:
        """Apply the changes in one call (an empty value deletes); the environment redeploys."""
        body = [u.model_dump(by_alias=True, exclude_none=True, mode="json") for u in updates]
        values = [u.value for u in updates]
        self._request("PATCH", _path(program_id, environment_id), json=body, sensitive=values)
