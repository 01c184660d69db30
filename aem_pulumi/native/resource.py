"""What the native classes share: the package name, camelCase on the wire, output slots."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pulumi

from aem_pulumi.plugin.names import to_camel, to_snake

PACKAGE = "aem"


class NativeResource(pulumi.CustomResource):
    """A resource of the `aem` plugin; Python names snake_case, the wire camelCase."""

    def __init__(
        self,
        token: str,
        resource_name: str,
        inputs: Mapping[str, Any],
        outputs: Iterable[str] = (),
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props: dict[str, Any] = dict(inputs)
        for name in outputs:
            props.setdefault(name, None)
        super().__init__(token, resource_name, props, _with_dynamic_alias(token, opts))

    def translate_input_property(self, prop: str) -> str:
        """`program_id` -> `programId` (at any depth)."""
        return to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """`programId` -> `program_id` (at any depth)."""
        return to_snake(prop)


def dynamic_type(token: str) -> str:
    """The type the dynamic front end gives the same resource: `aem:index:PortForward` ->
    `pulumi-python:dynamic/aem:PortForward`."""
    return f"pulumi-python:dynamic/{PACKAGE}:{token.rpartition(':')[2]}"


def _with_dynamic_alias(token: str, opts: pulumi.ResourceOptions | None) -> pulumi.ResourceOptions:
    """`opts` plus an alias to the dynamic resource of the same name and parent, so a stack made
    with `aem_pulumi` moves to the plugin by the import change alone: the engine finds the old
    resource under the alias, the plugin's Diff compares its inputs, and nothing is written
    (docs/plugin.md, "Migrating")."""
    alias = pulumi.ResourceOptions(aliases=[pulumi.Alias(type_=dynamic_type(token))])
    return pulumi.ResourceOptions.merge(opts, alias)
