"""The variables concern: an environment's variables, and the changes one PATCH carries.

A variable is identified by (`name`, `service`); its type cannot change, secret values are
write-only, and an empty value deletes (a secret with its type sent too). Behaviour page,
"Environment variables and secrets".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.errors import OperationFailed, OwnershipError, ProviderError
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.writer.writer import Request
from aem_pulumi.models.variables import Variable, VariableType, VariableUpdate, variable_key

Key = tuple[str, str | None]
# Statuses of a variable that no longer exists (the listing may keep it for a while).
GONE = frozenset({"deleted"})
FAILED = frozenset({"failed", "deleted_failed"})


def scope(service: str | None) -> str:
    """`all services` or `service author`, as messages say it."""
    return f"service {service}" if service else "all services"


def live(variables: Sequence[Variable]) -> dict[Key, Variable]:
    """The environment's variables by (name, service), without deleted ones."""
    return {variable_key(v.name, v.service): v for v in variables if v.status not in GONE}


@dataclass(frozen=True)
class VariablesState:
    """The environment's variables, and the PATCH items that make them so."""

    live: Mapping[Key, Variable]
    updates: Mapping[Key, VariableUpdate] = field(default_factory=dict)


@dataclass
class VariableChange:
    """Set (or, with an empty value, delete) one variable; `status` is its outcome."""

    who: str
    deadline: Deadline
    environment_id: str
    name: str
    service: str | None
    type: VariableType
    value: str = field(default="", repr=False)  # "" deletes
    creating: bool = False
    adopt: bool = False
    """With `creating`: an existing variable may be taken over (this stack's, or adopt=True)."""
    status: str | None = None

    @property
    def key(self) -> Key:
        return variable_key(self.name, self.service)

    @property
    def label(self) -> str:
        """`variable EMAIL_USERNAME (all services)`."""
        return f"variable {self.name} ({scope(self.service)})"

    @property
    def deletes(self) -> bool:
        return not self.value

    @property
    def removes(self) -> bool:
        """A deletion is already done when the environment is gone."""
        return self.deletes


class _Variables:
    """The variables concern of the environment writer."""

    name = "variables"

    def precheck(self, client: CloudManagerClient, program_id: str, change: VariableChange) -> None:
        return None

    def read(
        self, client: CloudManagerClient, program_id: str, environment_id: str
    ) -> VariablesState:
        return VariablesState(live(client.list_variables(program_id, environment_id)))

    def apply(self, change: VariableChange, state: VariablesState) -> VariablesState:
        """Later change wins per (name, service); deleting a missing variable changes nothing."""
        existing = state.live.get(change.key)
        if not change.deletes and existing is not None and existing.type != change.type:
            raise OwnershipError(_type_clash(change, existing))
        if change.creating and existing is not None and not change.adopt:
            raise OwnershipError(
                f"{change.who}: {change.label} already exists in environment "
                f"{change.environment_id} and this stack did not create it; set adopt=True to "
                "take it over (its value becomes the input's), or choose another name"
            )
        known = dict(state.live)
        updates = dict(state.updates)
        if change.deletes:
            if existing is None:
                return state
            known.pop(change.key)
            kind = existing.type  # a secret must be deleted with its type
        else:
            known[change.key] = Variable(name=change.name, type=change.type, service=change.service)
            kind = change.type
        updates[change.key] = VariableUpdate(
            name=change.name, value=change.value, type=kind, service=change.service
        )
        return replace(state, live=known, updates=updates)

    def request(
        self,
        client: CloudManagerClient,
        program_id: str,
        environment_id: str,
        before: VariablesState,
        after: VariablesState,
    ) -> Request | None:
        items = list(after.updates.values())
        if not items:
            return None
        return lambda: client.patch_variables(program_id, environment_id, items)

    def outcome(
        self, change: VariableChange, wanted: VariablesState, found: VariablesState
    ) -> ProviderError | None:
        variable = found.live.get(change.key)
        where = f"environment {change.environment_id}"
        if variable is not None and variable.status in FAILED:
            action = "delete" if change.deletes else "set"
            return OperationFailed(
                f"{change.who}: Cloud Manager failed to {action} {change.label} in {where} "
                f"(status '{variable.status}'); see the environment's activity in Cloud Manager, "
                "then try again"
            )
        if not change.deletes and variable is None:
            return OperationFailed(
                f"{change.who}: {change.label} is missing from {where} after the update; "
                "run `pulumi up` again"
            )
        if change.deletes and variable is not None and variable.status != "deleting":
            return OperationFailed(
                f"{change.who}: {change.label} is still in {where} after its deletion "
                f"(status '{variable.status}'); run `pulumi destroy` again"
            )
        change.status = variable.status if variable is not None else "deleted"
        return None


def _type_clash(change: VariableChange, existing: Variable) -> str:
    return (
        f"{change.who}: {change.label} exists as a {existing.type} variable in environment "
        f"{change.environment_id}; Cloud Manager cannot change a variable's type to "
        f"{change.type}: delete it first (in Cloud Manager, or remove the resource that manages "
        "it and run `pulumi up`), or choose another name"
    )


VARIABLES = _Variables()
