"""`AdvancedNetworking` through the plugin: a program's network infrastructure in one region."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from aem_pulumi.core.advanced_networking import ADVANCED_NETWORKING
from aem_pulumi.native.resource import NativeResource


class AdvancedNetworking(NativeResource):
    """A program's network infrastructure (`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`).

    As `aem_pulumi.AdvancedNetworking`; the plugin keeps the VPN shared keys secret field by
    field (the rest of `vpn` stays readable in the state).
    """

    program_id: pulumi.Output[str]
    kind: pulumi.Output[str]
    region: pulumi.Output[str]
    vpn: pulumi.Output[dict[str, Any] | None]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    infrastructure_id: pulumi.Output[str]
    status: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        kind: pulumi.Input[str],
        region: pulumi.Input[str],
        vpn: pulumi.Input[Mapping[str, Any]] | None = None,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "program_id": program_id,
            "kind": kind,
            "region": region,
            "vpn": vpn,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        super().__init__(
            ADVANCED_NETWORKING.token,
            resource_name,
            inputs,
            ADVANCED_NETWORKING.output_names(),
            opts,
        )
