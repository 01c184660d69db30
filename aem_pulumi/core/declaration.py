"""One declaration per resource: its models, id format, remote identity and CRUD over plain data.

A front end needs nothing else to serve a resource: `check` and `diff` come from
`core.checking`, secrets and replacements from the input model's markers, and the operations
take and return plain dicts, so the dynamic adapter and the provider plugin share them unchanged.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.inputs import Inputs, secret_fields
from aem_pulumi.core.ownership import CLAIMS, Identity, NoLedger, StackLedger
from aem_pulumi.core.timeouts import Deadline, timeout_for

In = TypeVar("In", bound=Inputs)
I_contra = TypeVar("I_contra", bound=Inputs, contravariant=True)


class MayTake:
    """A yes-or-no answered on first use, then remembered."""

    def __init__(self, ask: Callable[[], bool]) -> None:
        self._ask = ask
        self._answer: bool | None = None

    def __bool__(self) -> bool:
        if self._answer is None:
            self._answer = self._ask()
        return self._answer


Adoption = bool | MayTake
"""Whether a change may take over an existing object: known, or asked when one is found."""


@dataclass(frozen=True)
class Context:
    """What an operation needs from its front end: who it acts for, a client, engine timeouts."""

    kind: str
    """The resource's type name: `PortForward`."""
    resource_name: str
    """The Pulumi resource name: `smtp`."""
    client: CloudManagerClient
    engine_timeouts: Mapping[str, float] = field(default_factory=dict)
    """Seconds per operation from the engine's `customTimeouts` (the plugin only)."""
    ledger: StackLedger = field(default_factory=NoLedger)
    """What the stack's state holds (ownership, issue 10)."""
    force_delete: bool = False
    """Delete objects changed outside Pulumi too (`AEM_FORCE_DELETE=true`)."""
    adopt_all: bool = False
    """Every create of this run may take over an existing object (`AEM_ADOPT=true`, the
    recovery after an interrupted `up`)."""

    parents: tuple[str, ...] = ()
    """The type names of the components it sits in, innermost first (`MailService`)."""

    @property
    def who(self) -> str:
        """The resource, as messages and claims name it: `PortForward 'smtp' in MailService`."""
        return who(self.kind, self.resource_name, self.parents)

    def claim(self, identities: list[Identity]) -> None:
        """Declare this resource's objects before a write; OwnershipError on a second claim."""
        CLAIMS.claim(identities, self.who)

    def is_ours(self, identity: Identity, adopt: bool) -> bool:
        """Whether an existing object may be taken over: `adopt`, or the stack's state holds it
        (for one of its resources that a rename or a move replaces)."""
        return adopt or self.adopt_all or bool(self.ledger.holders(identity))

    def may_take(self, identity: Identity, adopt: bool) -> MayTake:
        """`is_ours`, asked only when an existing object is found (reading the stack's state
        costs a CLI call: a create of something new never makes it)."""
        return MayTake(lambda: self.is_ours(identity, adopt))

    def other_holders(self, identity: Identity) -> list[str]:
        """Who else, in this deployment or in the stack's state, holds the object."""
        held = [h for h in self.ledger.holders(identity) if h != self.who]
        return sorted({*CLAIMS.others(identity, self.who), *held})

    def deadline(
        self, operation: str, timeouts: Mapping[str, str] | None, defaults: Mapping[str, float]
    ) -> Deadline:
        """The deadline of `operation`: customTimeouts, else the `timeouts` input, else default."""
        seconds = timeout_for(operation, timeouts, defaults, self.engine_timeouts)
        return Deadline(seconds, operation)


@dataclass(frozen=True)
class Created:
    """A create's result: the id and every output (inputs included)."""

    id: str
    outputs: dict[str, Any]


@dataclass(frozen=True)
class Found:
    """A read's result: the outputs, and the inputs that describe what was found (None: keep the
    stored inputs, e.g. a secret value Cloud Manager never returns)."""

    id: str
    outputs: dict[str, Any]
    inputs: dict[str, Any] | None


class Operations(Protocol[I_contra]):
    """Create, read, update and delete of one resource kind, over plain data."""

    def create(self, inputs: I_contra, ctx: Context) -> Created:
        """Make (or, with adopt, take over) the object and wait until it is in place."""
        ...

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """What exists now (None when gone); `state` is empty on import (the id alone)."""
        ...

    def update(
        self, id_: str, olds: Mapping[str, Any], news: I_contra, ctx: Context
    ) -> dict[str, Any]:
        """Change the object in place; every output."""
        ...

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Remove the object (already gone is fine)."""
        ...


def who(kind: str, resource_name: str, parents: tuple[str, ...] = ()) -> str:
    """`PortForward 'smtp'`, `PortForward 'mail-smtp' in MailService`: one resource of a stack
    (the engine's URN tells resources apart by name and by the types of their parents)."""
    return f"{kind} '{resource_name}'" + "".join(f" in {parent}" for parent in parents)


def _no_drift_replacement(_olds: Mapping[str, Any]) -> list[str]:
    return []


@dataclass(frozen=True)
class Declaration(Generic[In]):
    """Everything a front end needs to serve one resource kind."""

    name: str
    """The type name: `PortForward` (token `aem:index:PortForward`)."""
    description: str
    inputs: type[In]
    outputs: type[BaseModel]
    """Output-only properties (every input is an output too)."""
    operations: Operations[In]
    id_format: str
    """How ids read, e.g. `{program_id}/{environment_id}/{port_orig}`."""
    delete_before_replace: bool = False
    identities: Callable[[Mapping[str, Any]], list[Identity]] = lambda _props: []
    """The remote objects a resource with these inputs (or stored outputs) owns."""
    identity_property: str = ""
    """The input a second claim is reported on at preview."""
    live_check: (
        Callable[[Mapping[str, Any], Callable[[], CloudManagerClient]], list[tuple[str, str]]]
        | None
    ) = None
    """Read-only checks at preview that need Cloud Manager: (property, reason) failures."""
    replace_on_drift: Callable[[Mapping[str, Any]], list[str]] = _no_drift_replacement
    """Inputs to report as replacing when the stored outputs show a drift no input can express
    (a variable that a refresh found of another type)."""

    @property
    def token(self) -> str:
        """The Pulumi type token."""
        return f"aem:index:{self.name}"

    def who(self, resource_name: str, parents: tuple[str, ...] = ()) -> str:
        """`PortForward 'smtp'`."""
        return who(self.name, resource_name, parents)

    def secret_properties(self) -> frozenset[str]:
        """Top-level properties that are (or hold) secrets, inputs and outputs alike."""
        return secret_fields(self.inputs) | secret_fields(self.outputs)

    def output_names(self) -> tuple[str, ...]:
        """The output-only property names."""
        return tuple(self.outputs.model_fields)
