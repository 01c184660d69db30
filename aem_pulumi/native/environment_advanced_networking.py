"""`EnvironmentAdvancedNetworking` through the plugin: advanced networking on one environment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from aem_pulumi.core.environment_advanced_networking import ENVIRONMENT_ADVANCED_NETWORKING
from aem_pulumi.dynamic.additions import Additions
from aem_pulumi.native.resource import NativeResource


class EnvironmentAdvancedNetworking(NativeResource):
    """Enables advanced networking on one environment; as `aem_pulumi.EnvironmentAdvancedNetworking`."""

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
        declaration = ENVIRONMENT_ADVANCED_NETWORKING
        super().__init__(declaration.token, resource_name, inputs, declaration.output_names(), opts)

    def add_port_forward(self, rule: Mapping[str, Any]) -> None:
        """As `aem_pulumi.EnvironmentAdvancedNetworking.add_port_forward`."""
        if not self._listed:
            raise ValueError(
                "add_port_forward needs an EnvironmentAdvancedNetworking with a port_forwards "
                "list (use port_forwards=[] for none of its own)"
            )
        self._added_rules.add(str(rule.get("port_orig")), rule)
