"""Advanced networking on one environment."""

from __future__ import annotations

import logging

from aem_pulumi.client.errors import NotFoundError
from aem_pulumi.client.transport import Transport
from aem_pulumi.models.environment_advanced_networking import (
    AdvancedNetworkingConfiguration,
    AdvancedNetworkingUpdate,
)
from aem_pulumi.models.environments import Environment

log = logging.getLogger("aem_pulumi.client")


def _path(program_id: str, environment_id: str) -> str:
    return f"/api/program/{program_id}/environment/{environment_id}/advancedNetworking"


class AdvancedNetworkingOperations(Transport):
    """Get, enable/replace (PUT) and disable (DELETE) an environment's configuration."""

    def get_advanced_networking(
        self, program_id: str, environment_id: str
    ) -> list[AdvancedNetworkingConfiguration]:
        """One configuration per region that has an infrastructure; none when not enabled.

        The behaviour page: the API may answer 404 where advanced networking was never enabled
        instead of an empty list; both mean "not enabled".
        """
        path = _path(program_id, environment_id)
        try:
            return self._read_list(
                AdvancedNetworkingConfiguration, path, "networkingConfigurations"
            )
        except NotFoundError:
            log.info("GET %s answered 404: advanced networking is not enabled", path)
            return []

    def put_advanced_networking(
        self, program_id: str, environment_id: str, configuration: AdvancedNetworkingUpdate
    ) -> Environment:
        """Enable it with exactly these rules (the whole list is replaced); env `updating`."""
        body = configuration.to_api()
        return self._read(Environment, "PUT", _path(program_id, environment_id), json=body)

    def delete_advanced_networking(self, program_id: str, environment_id: str) -> Environment:
        """Disable it; the environment goes `updating`."""
        return self._read(Environment, "DELETE", _path(program_id, environment_id))
