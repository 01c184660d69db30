"""What the thin resource classes share: how their inputs become dynamic-resource properties."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi
from pulumi.runtime.stack import Stack

from aem_pulumi.dynamic.ledger import PARENTS_KEY, STACK_KEY


def resource_props(
    resource_name: str,
    inputs: Mapping[str, Any],
    outputs: Iterable[str] = (),
    opts: pulumi.ResourceOptions | None = None,
) -> dict[str, Any]:
    """The property bag of a dynamic resource: its inputs, its name, its stack and parents (for
    ownership, `dynamic.ledger`), and unset output slots."""
    props: dict[str, Any] = {"resource_name": resource_name, **inputs, STACK_KEY: stack_name()}
    parents = parent_types(opts)
    if parents:
        props[PARENTS_KEY] = parents
    for name in outputs:
        props.setdefault(name, None)
    return props


def parent_types(opts: pulumi.ResourceOptions | None) -> list[str]:
    """The type names of the component a resource sits in and of that one's own (as our
    components record it), innermost first; what the URN's qualified type holds."""
    parent = opts.parent if opts else None
    if parent is None or isinstance(parent, Stack):
        return []
    own = str(getattr(parent, "_type", "")).rsplit(":", 1)[-1]
    return [own, *getattr(parent, "aem_parents", [])]


def stack_name() -> str:
    """`organization/project/stack`, as `pulumi stack export --stack` takes it."""
    organization = pulumi.get_organization() or "organization"  # unset under unit-test mocks
    return f"{organization}/{pulumi.get_project()}/{pulumi.get_stack()}"


def with_secret_outputs(
    opts: pulumi.ResourceOptions | None, names: Iterable[str]
) -> pulumi.ResourceOptions:
    """`opts` plus `additional_secret_outputs` for `names` (derived outputs holding secrets)."""
    extra = pulumi.ResourceOptions(additional_secret_outputs=list(names))
    return pulumi.ResourceOptions.merge(opts, extra)


class Additions:
    """Entries that components add to a list or map input of a resource while the program's
    body runs (`MailService(networking=…, variables=…)`, issue 13).

    The merged input resolves in an `apply`, which the SDK runs only once the program's body has
    returned, so every addition made during it is in; one made later is refused.
    """

    def __init__(self, what: str) -> None:
        self._what = what
        self._entries: list[tuple[str, Any]] = []
        self._sealed = False

    def add(self, key: str, value: Any) -> None:
        """Add one entry (`key` names it in a map; lists ignore it)."""
        if self._sealed:
            raise ValueError(f"{self._what}: too late to add {key}; add it in the program's body")
        self._entries.append((key, value))

    def merged_list(self, base: Any) -> pulumi.Output[Any]:
        """`base` (a list input) followed by the added entries."""
        return self._merged(base, lambda given, added: [*(given or []), *(v for _, v in added)])

    def merged_map(self, base: Any) -> pulumi.Output[Any]:
        """`base` (a map input) with the added entries (an added key wins)."""
        return self._merged(base, lambda given, added: {**(given or {}), **dict(added)})

    def _merged(self, base: Any, combine: Any) -> pulumi.Output[Any]:
        def seal(given: Any) -> Any:
            self._sealed = True
            merged = combine(given, self._entries)
            return pulumi.Output.from_input(merged) if merged or given is not None else None

        return pulumi.Output.from_input(base).apply(seal)
