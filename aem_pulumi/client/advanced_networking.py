"""Advanced networking on one environment."""

from __future__ import annotations

from aem_pulumi.client.transport import Transport
from aem_pulumi.models.advanced_networking import (
    AdvancedNetworkingConfiguration,
    AdvancedNetworkingUpdate,
)
from aem_pulumi.models.base import embedded
from aem_pulumi.models.environments import Environment


def _path(program_id: str, environment_id: str) -> str:
    return f"/api/program/{program_id}/environment/{environment_id}/advancedNetworking"


class AdvancedNetworkingOperations(Transport):
    """Get, enable/replace (PUT) and disable (DELETE) an environment's configuration."""

    def get_advanced_networking(
        self, program_id: str, environment_id: str
    ) -> list[AdvancedNetworkingConfiguration]:
        """One configuration per region that has an infrastructure."""
        body = self._request("GET", _path(program_id, environment_id)).json()
        return [
            AdvancedNetworkingConfiguration.model_validate(item)
            for item in embedded(body, "networkingConfigurations")
        ]

    def put_advanced_networking(
        self, program_id: str, environment_id: str, configuration: AdvancedNetworkingUpdate
    ) -> Environment:
        """Enable it with exactly these rules (the whole list is replaced); env `updating`."""
        body = configuration.model_dump(by_alias=True, exclude_none=True, mode="json")
        response = self._request("PUT", _path(program_id, environment_id), json=body)
        return Environment.model_validate(response.json())

    def delete_advanced_networking(self, program_id: str, environment_id: str) -> Environment:
        """Disable it; the environment goes `updating`."""
        response = self._request("DELETE", _path(program_id, environment_id))
        return Environment.model_validate(response.json())
