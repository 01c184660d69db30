"""Network infrastructure operations (a program's advanced networking set-up)."""

from __future__ import annotations

import logging

from aem_pulumi.client.errors import APIConnectionError, ServerError, ValidationError
from aem_pulumi.client.responses import read_one
from aem_pulumi.client.retry import wait_or_raise
from aem_pulumi.client.transport import Transport
from aem_pulumi.models.advanced_networking import (
    HISTORY,
    NetworkInfrastructure,
    NetworkInfrastructureRepresentation,
)

log = logging.getLogger("aem_pulumi.client")


def _secrets(infrastructure: NetworkInfrastructure) -> list[str]:
    return [c.shared_key for c in infrastructure.connections or [] if c.shared_key]


class NetworkOperations(Transport):
    """The five `networkInfrastructure` operations."""

    def list_network_infrastructures(
        self, program_id: str
    ) -> list[NetworkInfrastructureRepresentation]:
        """Every infrastructure of the program, `deleted` ones (history) included."""
        path = f"/api/program/{program_id}/networkInfrastructures"
        return self._read_list(NetworkInfrastructureRepresentation, path, "networkInfrastructures")

    def get_network_infrastructure(
        self, program_id: str, infrastructure_id: str
    ) -> NetworkInfrastructureRepresentation:
        """The infrastructure, or `NotFoundError`."""
        path = f"/api/program/{program_id}/networkInfrastructure/{infrastructure_id}"
        return self._read(NetworkInfrastructureRepresentation, "GET", path)

    def create_network_infrastructure(
        self, program_id: str, infrastructure: NetworkInfrastructure
    ) -> NetworkInfrastructureRepresentation:
        """Start creating it (status `creating`); safe against a POST whose answer was lost.

        After an ambiguous answer (a 5xx, or a connection lost once the request was sent) the
        infrastructure is looked up in its region: found, it is the answer; not found, the POST is
        sent again, as often as the retry policy allows (STYLE.md: "after an ambiguous POST, look
        the object up before creating again").
        """
        path = f"/api/program/{program_id}/networkInfrastructures"
        attempt, unanswered = 0, False
        while True:
            attempt += 1
            try:
                return self._read(
                    NetworkInfrastructureRepresentation,
                    "POST",
                    path,
                    json=infrastructure.to_api(),
                    sensitive=_secrets(infrastructure),
                )
            except (ServerError, APIConnectionError) as exc:
                if isinstance(exc, APIConnectionError) and not exc.sent:
                    raise
                found = self._looked_up(program_id, infrastructure, path)
                if found is not None:
                    return found
                # Nothing was created: send the POST again, as the retry policy allows.
                retry_after = exc.retry_after if isinstance(exc, ServerError) else None
                secrets = self._tokens.secrets
                wait_or_raise(exc, attempt, retry_after, True, self._retry, self._sleep, secrets)
                unanswered = True
                continue
            except ValidationError:
                # An earlier, unanswered POST may have been carried out after all: the region is
                # taken by the infrastructure it created.
                found = self._looked_up(program_id, infrastructure, path) if unanswered else None
                if found is None:
                    raise
                return found

    def update_network_infrastructure(
        self, program_id: str, infrastructure_id: str, infrastructure: NetworkInfrastructure
    ) -> NetworkInfrastructureRepresentation:
        """Change a VPN's settings (status `updating`); the shared keys are sent every time."""
        path = f"/api/program/{program_id}/networkInfrastructure/{infrastructure_id}"
        body, secrets = infrastructure.to_api(), _secrets(infrastructure)
        return self._read(
            NetworkInfrastructureRepresentation, "PUT", path, json=body, sensitive=secrets
        )

    def delete_network_infrastructure(
        self, program_id: str, infrastructure_id: str
    ) -> NetworkInfrastructureRepresentation | None:
        """Start deleting it (status `deleting`); None when the API answers without a body."""
        path = f"/api/program/{program_id}/networkInfrastructure/{infrastructure_id}"
        response = self._request("DELETE", path)
        if not response.content:
            return None
        secrets = self._tokens.secrets()
        return read_one(
            NetworkInfrastructureRepresentation,
            response,
            method="DELETE",
            path=path,
            sensitive=secrets,
        )

    def _looked_up(
        self, program_id: str, wanted: NetworkInfrastructure, path: str
    ) -> NetworkInfrastructureRepresentation | None:
        """The infrastructure an unanswered POST may have created, if it exists."""
        found = self._find_in_region(program_id, wanted)
        if found is not None:
            log.warning(
                "POST %s had no clear answer, but the infrastructure exists: %s", path, found.id
            )
        return found

    def _find_in_region(
        self, program_id: str, wanted: NetworkInfrastructure
    ) -> NetworkInfrastructureRepresentation | None:
        """The live infrastructure of `wanted`'s region and kind; `deleted` ones are history."""
        for existing in self.list_network_infrastructures(program_id):
            live = existing.status not in HISTORY
            if live and existing.region == wanted.region and existing.kind == wanted.kind:
                return existing
        return None
