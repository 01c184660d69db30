"""The stack's state, read with `pulumi stack export`: which resource holds which object.

The dynamic host tells a provider nothing about the stack, so the resource classes pass the
stack's name as the hidden input `__stack`, and the provider asks the CLI that runs it for the
stack's checkpoint (once per provider process; during an update it is the state saved so far).
The export is taken once, when the provider's first operation of the run begins. Pending
creates do not count: the running update records its own before each create, and a
create an earlier `up` left unfinished never recorded its object (README, "Recovery"). When the
CLI cannot answer, nothing counts as this stack's, and a create asks for `adopt=True`.
"""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
import threading
from collections.abc import Iterator, Mapping
from typing import Any

from aem_pulumi.core.ownership import Identity
from aem_pulumi.core.registry import by_name

STACK_KEY = "__stack"
PARENTS_KEY = "__parents"
_log = logging.getLogger("aem_pulumi")


class ExportLedger:
    """The holders of each object according to one stack's state as the deployment began.

    The export starts with the provider's first operation, in the background, so it shows the
    state before this deployment changed anything: a resource updated or deleted earlier in the
    run (a rule moved out of a list, a renamed resource) still counts as holding its objects.
    """

    def __init__(self, stack: str) -> None:
        self._index: dict[Identity, list[str]] = {}
        self._read = threading.Thread(target=self._load, args=(stack,), daemon=True)
        self._read.start()

    def _load(self, stack: str) -> None:
        self._index = _index(_export(stack))

    def holders(self, identity: Identity) -> list[str]:
        self._read.join()
        return list(self._index.get(identity, []))


def _export(stack: str) -> Mapping[str, Any]:
    pulumi = shutil.which("pulumi")
    if pulumi is None:
        _log.warning("aem-pulumi: no `pulumi` on PATH; cannot read the state of stack %s", stack)
        return {}
    try:
        done = subprocess.run(
            [pulumi, "stack", "export", "--stack", stack],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        exported: Mapping[str, Any] = json.loads(done.stdout)
    except (subprocess.SubprocessError, ValueError) as exc:
        _log.warning("aem-pulumi: cannot read the state of stack %s: %s", stack, exc)
        return {}
    return exported


def _index(exported: Mapping[str, Any]) -> dict[Identity, list[str]]:
    index: dict[Identity, list[str]] = {}
    for urn, kind, props in _resources(exported.get("deployment") or {}):
        declaration = by_name(kind.rsplit(":", 1)[-1])
        if declaration is None:
            continue
        try:
            owned = declaration.identities(props)
        except (KeyError, TypeError, ValueError):
            continue
        holder = declaration.who(urn.rsplit("::", 1)[-1], _parents(urn))
        for identity in owned:
            index.setdefault(identity, []).append(holder)
    return index


def _parents(urn: str) -> tuple[str, ...]:
    """The type names of a resource's parents, innermost first, from its URN's qualified type."""
    qualified = urn.split("::")[-2] if urn.count("::") >= 3 else ""
    ancestors = qualified.split("$")[:-1]
    return tuple(t.rsplit(":", 1)[-1] for t in reversed(ancestors) if t != "pulumi:pulumi:Stack")


def _resources(deployment: Mapping[str, Any]) -> Iterator[tuple[str, str, Mapping[str, Any]]]:
    """(urn, type, properties) of every resource of the deployment."""
    for resource in deployment.get("resources") or []:
        props = resource.get("outputs") or resource.get("inputs") or {}
        yield str(resource.get("urn", "")), str(resource.get("type", "")), props


_ledgers: dict[str, ExportLedger] = {}
_ledgers_lock = threading.Lock()


def ledger_for(stack: str) -> ExportLedger:
    """The process's ledger of `stack`."""
    with _ledgers_lock:
        return _ledgers.setdefault(stack, ExportLedger(stack))
