"""How long each asynchronous operation of the emulator takes, in seconds."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

OperationName = Literal[
    "infrastructure_create",
    "infrastructure_update",
    "infrastructure_delete",
    "environment_update",
    "variables_update",
]
OPERATION_NAMES: tuple[OperationName, ...] = (
    "infrastructure_create",
    "infrastructure_update",
    "infrastructure_delete",
    "environment_update",
    "variables_update",
)


class Timings(BaseModel):
    """Durations of the asynchronous operations (seconds; 0 = the end state at once)."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)

    infrastructure_create: float = Field(default=6.0, ge=0)
    """Creating a `flexiblePortEgress` or `dedicatedEgressIp` infrastructure."""
    infrastructure_create_vpn: float = Field(default=10.0, ge=0)
    """Creating a `vpn` infrastructure."""
    infrastructure_update: float = Field(default=4.0, ge=0)
    """Updating a `vpn` infrastructure."""
    infrastructure_delete: float = Field(default=4.0, ge=0)
    """Deleting an infrastructure (then GET answers 404)."""
    environment_update: float = Field(default=4.0, ge=0)
    """Enabling, changing or disabling advanced networking on an environment."""
    variables_update: float = Field(default=3.0, ge=0)
    """Applying a variables PATCH (the environment is `updating` meanwhile)."""

    @classmethod
    def zero(cls) -> Timings:
        """Every operation immediate."""
        return cls.model_validate(dict.fromkeys(cls.model_fields, 0.0))

    def updated(self, changes: Mapping[str, object]) -> Timings:
        """A copy with the given durations changed (validated like the constructor)."""
        return Timings.model_validate({**self.model_dump(), **changes})

    def duration(self, operation: OperationName, *, vpn: bool = False) -> float:
        """How long `operation` takes; creating a VPN has its own duration."""
        if operation == "infrastructure_create" and vpn:
            return self.infrastructure_create_vpn
        return float(getattr(self, operation))
