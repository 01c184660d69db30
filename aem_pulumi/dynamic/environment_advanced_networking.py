"""`EnvironmentAdvancedNetworking`: advanced networking enabled on one environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi
import pulumi.dynamic

from aem_pulumi.core.environment_advanced_networking import ENVIRONMENT_ADVANCED_NETWORKING
from aem_pulumi.dynamic.additions import Additions
from aem_pulumi.dynamic.provider import DynamicProvider
from aem_pulumi.dynamic.resource import resource_props


class EnvironmentAdvancedNetworkingProvider(DynamicProvider):
    """The dynamic provider of `EnvironmentAdvancedNetworking`."""

    declaration = ENVIRONMENT_ADVANCED_NETWORKING


class EnvironmentAdvancedNetworking(
    pulumi.dynamic.Resource, module="aem", name="EnvironmentAdvancedNetworking"
):
    """Enables advanced networking on one environment (waits until it is `ready`); disables it on delete.

    Id `"{program_id}/{environment_id}"`. With `port_forwards` it owns the whole rule list;
    without, rules belong to `PortForward` resources and are preserved.
    """

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    non_proxy_hosts: pulumi.Output[list[str] | None]
    port_forwards: pulumi.Output[list[dict[str, Any]] | None]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        non_proxy_hosts: pulumi.Input[Sequence[pulumi.Input[str]]] | None = None,
        port_forwards: pulumi.Input[Sequence[pulumi.Input[Mapping[str, Any]]]] | None = None,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, str]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        self._listed = port_forwards is not None
        self._added_rules = Additions(f"EnvironmentAdvancedNetworking '{resource_name}'")
        inputs = {
            "program_id": program_id,
            "environment_id": environment_id,
            "non_proxy_hosts": non_proxy_hosts,
            "port_forwards": self._added_rules.merged_list(port_forwards) if self._listed else None,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        super().__init__(
            EnvironmentAdvancedNetworkingProvider(),
            resource_name,
            resource_props(resource_name, inputs, opts=opts),
            opts,
        )

    def add_port_forward(self, rule: Mapping[str, Any]) -> None:
        """Add a rule (`{"host", "port_dest", "port_orig"}`) to `port_forwards`, during the
        program's body; only when the resource lists its rules (it then owns the whole list)."""
        if not self._listed:
            raise ValueError(
                "add_port_forward needs an EnvironmentAdvancedNetworking with a port_forwards "
                "list (use port_forwards=[] for none of its own)"
            )
        self._added_rules.add(str(rule.get("port_orig")), rule)
