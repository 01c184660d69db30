"""Environment operations."""

from __future__ import annotations

from aem_pulumi.client.transport import Transport
from aem_pulumi.models.environments import Environment


class EnvironmentOperations(Transport):
    """`getEnvironments`, `getEnvironment`."""

    def list_environments(self, program_id: str) -> list[Environment]:
        """Every environment of the program."""
        path = f"/api/program/{program_id}/environments"
        return self._read_list(Environment, path, "environments")

    def get_environment(self, program_id: str, environment_id: str) -> Environment:
        """The environment, or `NotFoundError`."""
        path = f"/api/program/{program_id}/environment/{environment_id}"
        return self._read(Environment, "GET", path)
