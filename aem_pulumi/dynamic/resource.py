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
