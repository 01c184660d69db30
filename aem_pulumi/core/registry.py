"""Every declared resource, for front ends that serve them all (the plugin, the ledger)."""

from __future__ import annotations

from typing import Any

from aem_pulumi.core.advanced_networking import ADVANCED_NETWORKING
from aem_pulumi.core.declaration import Declaration
from aem_pulumi.core.environment_advanced_networking import ENVIRONMENT_ADVANCED_NETWORKING
from aem_pulumi.core.environment_variables import ENVIRONMENT_VARIABLES
from aem_pulumi.core.port_forward import PORT_FORWARD
from aem_pulumi.core.variables import ENVIRONMENT_SECRET, ENVIRONMENT_VARIABLE


def declarations() -> list[Declaration[Any]]:
    """The declarations, in the README's order."""
    return [
        ADVANCED_NETWORKING,
        ENVIRONMENT_ADVANCED_NETWORKING,
        PORT_FORWARD,
        ENVIRONMENT_SECRET,
        ENVIRONMENT_VARIABLE,
        ENVIRONMENT_VARIABLES,
    ]


def by_name(name: str) -> Declaration[Any] | None:
    """The declaration of type name `name` (`PortForward`), if any."""
    return next((d for d in declarations() if d.name == name), None)
