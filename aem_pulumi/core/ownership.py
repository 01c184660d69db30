"""One owner per remote object: who in this deployment claims it, and whether this stack owns it.

Cloud Manager objects carry no owner, so ownership is judged from Pulumi's side (issue 10):
- a **claim** is a resource of the running deployment declaring an object (`Claims`, filled by
  `check` for every resource the program declares, and again before every write);
- an object is **this stack's** when the stack's state holds it for one of its resources (the
  `StackLedger` a front end provides; e.g. the resource that a rename or a move replaces).
A create takes over an existing object only when it is this stack's or `adopt=True`; a delete
removes its object only when no other claimant of the deployment holds it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Protocol

from aem_pulumi.core.errors import OwnershipError

Identity = tuple[str, ...]
"""A remote object: `("port forward", program, environment, "30465")`,
`("variable", program, environment, service or "", name)`, ..."""


def describe(identity: Identity) -> str:
    """`port forward 30465 of environment 20001`, as messages name an object."""
    kind, program_id, *rest = identity
    if kind == "port forward":
        return f"port forward {rest[1]} of environment {rest[0]}"
    if kind == "variable":
        scope = f"service {rest[1]}" if rest[1] else "all services"
        return f"variable {rest[2]} ({scope}) of environment {rest[0]}"
    if kind == "advanced networking":
        return f"the advanced networking of environment {rest[0]}"
    if kind == "network infrastructure":
        return f"the network infrastructure of program {program_id} in region {rest[0]}"
    return " ".join(identity)


class Claims:
    """The claims of the running deployment, by object (one provider process = one deployment)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_object: dict[Identity, set[str]] = {}

    def claim(self, identities: Iterable[Identity], claimant: str) -> None:
        """Record `claimant`'s objects; OwnershipError naming both when another claims one."""
        with self._lock:
            for identity in identities:
                others = self._by_object.setdefault(identity, set()) - {claimant}
                if others:
                    raise OwnershipError(_two_claims(identity, claimant, sorted(others)[0]))
            for identity in identities:
                self._by_object[identity].add(claimant)

    def others(self, identity: Identity, claimant: str) -> list[str]:
        """Claimants of `identity` other than `claimant`."""
        with self._lock:
            return sorted(self._by_object.get(identity, set()) - {claimant})

    def reset(self) -> None:
        """Forget every claim: a new deployment begins (a provider process serves one; tests
        that play several deployments in one process call this between them)."""
        with self._lock:
            self._by_object.clear()

    def release(self, identities: Iterable[Identity], claimant: str) -> None:
        """`claimant` no longer declares these objects (its delete ran)."""
        with self._lock:
            for identity in identities:
                self._by_object.get(identity, set()).discard(claimant)


def _two_claims(identity: Identity, claimant: str, other: str) -> str:
    return (
        f"{claimant} and {other} both declare {describe(identity)}; one object can have one "
        f"owner: remove one of them (or, for a rename, give the new one `aliases`)"
    )


CLAIMS = Claims()


class StackLedger(Protocol):
    """What the stack's state says: which of its resources holds an object."""

    def holders(self, identity: Identity) -> list[str]:
        """The resources (`PortForward 'smtp'`) whose state holds `identity`."""
        ...


class NoLedger:
    """A front end that cannot read its stack's state: nothing counts as this stack's."""

    def holders(self, identity: Identity) -> list[str]:
        return []


IdentitiesOf = Callable[[Mapping[str, Any]], list[Identity]]


FORCE_DELETE_ENV = "AEM_FORCE_DELETE"
"""On: deletes remove objects changed outside Pulumi too."""
ADOPT_ENV = "AEM_ADOPT"
"""On: every create of the run may take over an existing object (the recovery, README)."""


def requested(name: str) -> bool:
    """Whether an on/off environment variable (`AEM_FORCE_DELETE`, `AEM_ADOPT`) is on."""
    return os.environ.get(name, "").lower() in ("1", "true", "yes", "on")
