"""The variables concern: an environment's variables, and the changes one PATCH carries.

A variable is identified by (`name`, `service`); its type cannot change, secret values are
write-only, and an empty value deletes (a secret with its type sent too). Behaviour page,
"Environment variables and secrets".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.declaration import Adoption
from aem_pulumi.core.errors import OperationFailed, OwnershipError, ProviderError
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.writer.writer import Request
from aem_pulumi.models.variables import (
    SECRET,
    STRING,
    Variable,
    VariableType,
    VariableUpdate,
    variable_key,
)

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


@dataclass(frozen=True)
class Item:
    """Set (or, with an empty value, delete) one variable."""

    name: str
    service: str | None
    type: str
    """`string` or `secretString` to set; to delete, the type the variable was found with (the
    API may answer types the spec does not list)."""
    value: str = field(default="", repr=False)  # "" deletes
    creating: bool = False
    adopt: Adoption = False
    """With `creating`: an existing variable may be taken over (this stack's, or adopt=True)."""

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


@dataclass(frozen=True)
class Prune:
    """Delete every other variable of `service` (an authoritative set), except those in `keep`."""

    service: str | None
    keep: frozenset[Key]


@dataclass
class VariableChange:
    """One resource's variables for one PATCH; `statuses` are their outcomes."""

    who: str
    deadline: Deadline
    environment_id: str
    items: tuple[Item, ...]
    prune: Prune | None = None
    statuses: dict[Key, str] = field(default_factory=dict)

    @property
    def removes(self) -> bool:
        """Only deletions: already done when the environment is gone."""
        return self.prune is None and all(i.deletes for i in self.items)

    def pruned(self, state: VariablesState) -> tuple[Item, ...]:
        """The deletions `prune` adds to this change on `state`."""
        if self.prune is None:
            return ()
        own = {i.key for i in self.items} | self.prune.keep
        return tuple(
            Item(v.name, v.service, v.type)
            for key, v in state.live.items()
            if (v.service or None) == self.prune.service and key not in own
        )


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
        """Each item in turn (a later one wins per name and service), then the prune."""
        for item in (*change.items, *change.pruned(state)):
            state = _apply_item(change, item, state)
        return state

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
        for item in change.items:
            error = _item_outcome(change, item, found)
            if error is not None:
                return error
        return None


def _apply_item(change: VariableChange, item: Item, state: VariablesState) -> VariablesState:
    """The state after one item; deleting a missing variable changes nothing."""
    existing = state.live.get(item.key)
    if not item.deletes and existing is not None and existing.type != item.type:
        raise OwnershipError(_type_clash(change, item, existing))
    if item.creating and existing is not None and not item.adopt:
        raise OwnershipError(
            f"{change.who}: {item.label} already exists in environment "
            f"{change.environment_id} and this stack did not create it; set adopt=True to "
            "take it over (its value becomes the input's), or choose another name"
        )
    known = dict(state.live)
    if item.deletes:
        if existing is None:
            return state
        known.pop(item.key)
        kind = existing.type  # a secret must be deleted with its type
    else:
        known[item.key] = Variable(name=item.name, type=item.type, service=item.service)
        kind = item.type
    known_type: VariableType | None = kind if kind in (STRING, SECRET) else None
    update = VariableUpdate(name=item.name, value=item.value, type=known_type, service=item.service)
    return replace(state, live=known, updates={**state.updates, item.key: update})


def _item_outcome(
    change: VariableChange, item: Item, found: VariablesState
) -> ProviderError | None:
    """One item's own result, read from the environment's variables after the write."""
    variable = found.live.get(item.key)
    where = f"environment {change.environment_id}"
    if variable is not None and variable.status in FAILED:
        action = "delete" if item.deletes else "set"
        return OperationFailed(
            f"{change.who}: Cloud Manager failed to {action} {item.label} in {where} "
            f"(status '{variable.status}'); see the environment's activity in Cloud Manager, "
            "then try again"
        )
    if not item.deletes and variable is None:
        return OperationFailed(
            f"{change.who}: {item.label} is missing from {where} after the update; "
            "run `pulumi up` again"
        )
    if item.deletes and variable is not None and variable.status != "deleting":
        return OperationFailed(
            f"{change.who}: {item.label} is still in {where} after its deletion "
            f"(status '{variable.status}'); run `pulumi destroy` again"
        )
    change.statuses[item.key] = (variable.status or "ready") if variable is not None else "deleted"
    return None


def _type_clash(change: VariableChange, item: Item, existing: Variable) -> str:
    return (
        f"{change.who}: {item.label} exists as a {existing.type} variable in environment "
        f"{change.environment_id}; Cloud Manager cannot change a variable's type to "
        f"{item.type}: delete it first (in Cloud Manager, or remove the resource that manages "
        "it and run `pulumi up`), or choose another name"
    )


VARIABLES = _Variables()
