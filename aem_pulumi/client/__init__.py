"""The Cloud Manager API client: HTTP only (never imports pulumi)."""

from __future__ import annotations

from typing import Any

from aem_pulumi.client.advanced_networking import NetworkOperations
from aem_pulumi.client.environment_advanced_networking import AdvancedNetworkingOperations
from aem_pulumi.client.environments import EnvironmentOperations
from aem_pulumi.client.errors import (
    APIConnectionError,
    APIError,
    AuthenticationError,
    CloudManagerError,
    ConfigurationError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    UnreadableResponseError,
    ValidationError,
)
from aem_pulumi.client.programs import ProgramOperations
from aem_pulumi.client.retry import RetryPolicy
from aem_pulumi.client.settings import ClientSettings
from aem_pulumi.client.variables import VariableOperations

__all__ = [
    "APIConnectionError",
    "APIError",
    "AuthenticationError",
    "ClientSettings",
    "CloudManagerClient",
    "CloudManagerError",
    "ConfigurationError",
    "ConflictError",
    "NotFoundError",
    "RateLimitError",
    "RetryPolicy",
    "ServerError",
    "UnreadableResponseError",
    "ValidationError",
]


class CloudManagerClient(
    ProgramOperations,
    EnvironmentOperations,
    NetworkOperations,
    AdvancedNetworkingOperations,
    VariableOperations,
):
    """Typed access to the Cloud Manager API subset aem-pulumi manages; safe across threads."""

    def __init__(
        self,
        settings: ClientSettings | None = None,
        *,
        api_url: str | None = None,
        ims_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        org_id: str | None = None,
        scopes: str | None = None,
        **transport: Any,
    ) -> None:
        if settings is None:
            explicit = {
                "api_url": api_url,
                "ims_url": ims_url,
                "client_id": client_id,
                "client_secret": client_secret,
                "org_id": org_id,
                "scopes": scopes,
            }
            settings = ClientSettings.resolve(explicit)
        super().__init__(settings, **transport)
