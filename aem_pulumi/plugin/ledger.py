"""The stack's state as ownership reads it (`core.ownership.StackLedger`), for the plugin.

The dynamic front end's ledger (`dynamic.ledger`: `pulumi stack export`, then each resource's
objects by its declaration) reads properties in snake_case, as the dynamic resources store them;
the plugin stores them in camelCase, so its resources are read here with their keys converted.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from aem_pulumi.core.ownership import Identity
from aem_pulumi.dynamic import ledger as dynamic_ledger
from aem_pulumi.plugin.names import snake_keys


class StateLedger:
    """The holders of each object according to one stack's exported state (read once)."""

    def __init__(self, stack: str) -> None:
        self._stack = stack
        self._lock = threading.Lock()
        self._index: dict[Identity, list[str]] | None = None

    def holders(self, identity: Identity) -> list[str]:
        with self._lock:
            if self._index is None:
                exported = dynamic_ledger._export(self._stack)
                self._index = dynamic_ledger._index(snake_case(exported))
            return list(self._index.get(identity, []))


def snake_case(exported: Mapping[str, Any]) -> dict[str, Any]:
    """`pulumi stack export` output with every resource's inputs and outputs in snake_case."""
    deployment = dict(exported.get("deployment") or {})
    deployment["resources"] = [
        {
            **r,
            "inputs": snake_keys(r.get("inputs") or {}),
            "outputs": snake_keys(r.get("outputs") or {}),
        }
        for r in deployment.get("resources") or []
    ]
    return {**exported, "deployment": deployment}


_ledgers: dict[str, StateLedger] = {}
_ledgers_lock = threading.Lock()


def ledger_for(stack: str) -> StateLedger:
    """The process's ledger of `stack`."""
    with _ledgers_lock:
        return _ledgers.setdefault(stack, StateLedger(stack))
