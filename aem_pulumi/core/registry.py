"""Every declared resource: each `Declaration` in the core's modules, found by name.

A resource added to the core (docs/layout.md, "Adding a resource") joins every front end that
serves them all (the plugin, its schema, the stack ledger) with no edit here.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from typing import Any

import aem_pulumi.core
from aem_pulumi.core.declaration import Declaration


@functools.cache
def declarations() -> tuple[Declaration[Any], ...]:
    """Every declared resource, by name (importing every core module, once)."""
    found: dict[str, Declaration[Any]] = {}
    for module in pkgutil.walk_packages(aem_pulumi.core.__path__, "aem_pulumi.core."):
        loaded = importlib.import_module(module.name)
        for value in vars(loaded).values():
            if isinstance(value, Declaration):
                found.setdefault(value.name, value)
    return tuple(found[name] for name in sorted(found))


def by_name(name: str) -> Declaration[Any] | None:
    """The declaration of type name `name` (`PortForward`), if any."""
    return next((d for d in declarations() if d.name == name), None)


def by_token() -> dict[str, Declaration[Any]]:
    """Type token (`aem:index:PortForward`) -> declaration."""
    return {d.token: d for d in declarations()}
