"""The emulator's records (programs, environments, infrastructures, variables, tokens), `State`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from aem_pulumi.emulator.timings import OperationName
from aem_pulumi.models.advanced_networking import Kind
from aem_pulumi.models.environment_advanced_networking import PortForward
from aem_pulumi.models.variables import Service, VariableType

READY, FAILED, UPDATING = "ready", "failed", "updating"
CREATING, DELETING = "creating", "deleting"
FIRST_GENERATED_ID = 30001
PRIMARY, SECONDARY = "PRIMARY", "SECONDARY"


class PendingOperation(BaseModel):
    """An asynchronous operation under way: it ends at `ends` (epoch seconds), failed if `fails`."""

    name: OperationName
    started: float
    ends: float
    fails: bool = False
    previous: dict[str, Any] | None = None
    """What a failure rolls back to (networking or VPN settings), None for nothing."""


class ProgramRecord(BaseModel):
    """A program: its regions and whether it is a sandbox."""

    id: str
    name: str
    regions: list[str]
    sandbox: bool = False


class NetworkingRecord(BaseModel):
    """An environment's advanced networking configuration (present = enabled)."""

    non_proxy_hosts: list[str] = Field(default_factory=list)
    port_forwards: list[PortForward] = Field(default_factory=list)


class VariableRecord(BaseModel):
    """An environment variable; `pending` is its status while a PATCH is being applied."""

    name: str
    service: Service | None = None
    type: VariableType = "string"
    value: str = Field(default="", repr=False)
    status: str = READY
    pending: str | None = None


class RegionDeploymentRecord(BaseModel):
    """A region an environment runs in: its primary region, or an additional publish region."""

    id: str
    region: str
    type: str = PRIMARY
    created: float = 0.0


class EnvironmentRecord(BaseModel):
    """An environment with its regions, advanced networking, variables and operation under way."""

    id: str
    program_id: str
    name: str
    type: str
    region: str
    status: str = READY
    busy_until: float = 0.0
    region_deployments: list[RegionDeploymentRecord] = Field(default_factory=list)
    """Primary first; `region` is the primary deployment's region."""
    networking: NetworkingRecord | None = None
    variables: list[VariableRecord] = Field(default_factory=list)
    operation: PendingOperation | None = None

    @model_validator(mode="after")
    def _runs_in_its_region(self) -> EnvironmentRecord:
        """A state file older than region deployments: the environment runs in `region` only."""
        if not self.region_deployments:
            self.region_deployments = [RegionDeploymentRecord(id=self.id, region=self.region)]
        return self

    def regions(self) -> list[str]:
        """The regions the environment runs in, primary first."""
        return [deployment.region for deployment in self.region_deployments]


class InfrastructureRecord(BaseModel):
    """A network infrastructure; `settings` holds the VPN fields in their wire form."""

    id: str
    program_id: str
    kind: Kind
    region: str
    is_primary_region: bool
    created: float
    updated: float
    status: str = READY
    settings: dict[str, Any] = Field(default_factory=dict)
    status_details: dict[str, Any] | None = None
    operation: PendingOperation | None = None


class TokenRecord(BaseModel):
    """An issued access token (stored by digest), valid until `expires`."""

    client_id: str
    expires: float


class State(BaseModel):
    """Everything the API serves; persisted one document per record."""

    programs: dict[str, ProgramRecord] = Field(default_factory=dict)
    environments: dict[str, EnvironmentRecord] = Field(default_factory=dict)
    infrastructures: dict[str, InfrastructureRecord] = Field(default_factory=dict)
    tokens: dict[str, TokenRecord] = Field(default_factory=dict)
    next_id: int = FIRST_GENERATED_ID

    def new_id(self, taken: dict[str, Any]) -> str:
        """A fresh id, not a key of `taken`."""
        while str(self.next_id) in taken:
            self.next_id += 1
        self.next_id += 1
        return str(self.next_id - 1)


def new_region_deployment(
    state: State, region: str, *, primary: bool, now: float
) -> RegionDeploymentRecord:
    """A region deployment made at `now`, with an id no other region deployment has."""
    taken = {d.id: d for env in state.environments.values() for d in env.region_deployments}
    kind = PRIMARY if primary else SECONDARY
    return RegionDeploymentRecord(id=state.new_id(taken), region=region, type=kind, created=now)
