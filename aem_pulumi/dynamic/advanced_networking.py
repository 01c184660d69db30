"""`AdvancedNetworking`: a program's Cloud Manager network infrastructure in one region."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from aem_pulumi.core.advanced_networking import ADVANCED_NETWORKING
from aem_pulumi.dynamic.provider import DynamicProvider
from aem_pulumi.dynamic.resource import resource_props, with_secret_outputs


class AdvancedNetworkingProvider(DynamicProvider):
    """The dynamic provider of `AdvancedNetworking`."""

    declaration = ADVANCED_NETWORKING


class AdvancedNetworking(pulumi.dynamic.Resource, module="aem", name="AdvancedNetworking"):
    """A program's network infrastructure (`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`).

    Changing `program_id`, `kind` or `region` (or the VPN `address_space`) deletes the
    infrastructure, then creates the new one; other VPN settings are updated in place.

    Secrets: `vpn` is **always** secret, whatever it holds. The shared keys sit inside `vpn`, and a
    dynamic resource can only mark whole top-level properties secret; marking it only when a
    shared key is present would make the state's secrecy depend on the values (and on whether
    they are known at preview), so the whole `vpn` input is wrapped in `pulumi.Output.secret` and
    listed in `additional_secret_outputs`. The address spaces and IPsec settings it also hides are
    not secret, but they are in the program's own source anyway.
    """

    program_id: pulumi.Output[str]
    """Cloud Manager program id."""
    kind: pulumi.Output[str]
    """`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`."""
    region: pulumi.Output[str]
    """Region of the infrastructure, e.g. `va7`."""
    vpn: pulumi.Output[dict[str, Any] | None]
    """VPN settings (secret: they hold the shared keys)."""
    adopt: pulumi.Output[bool]
    """Whether create took over an existing, matching infrastructure."""
    timeouts: pulumi.Output[dict[str, str] | None]
    """Deadlines per operation."""
    infrastructure_id: pulumi.Output[str]
    """Cloud Manager's id of the infrastructure."""
    status: pulumi.Output[str]
    """Its status when last read (`ready` after a successful create or update)."""
    egress_host: pulumi.Output[str | None]
    """`p{program_id}.external.adobeaemcloud.com`: its address is the dedicated egress IP."""
    vpn_gateway_host: pulumi.Output[str | None]
    """`p{program_id}.{region}-gateway.external.adobeaemcloud.com` (vpn only)."""

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
        """Declare the infrastructure; `vpn` only for kind `vpn` (see the input model's fields)."""
        inputs = {
            "program_id": program_id,
            "kind": kind,
            "region": region,
            "vpn": pulumi.Output.secret(vpn) if vpn is not None else None,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        super().__init__(
            AdvancedNetworkingProvider(),
            resource_name,
            resource_props(resource_name, inputs, ADVANCED_NETWORKING.output_names(), opts),
            with_secret_outputs(opts, ADVANCED_NETWORKING.secret_properties()),
        )
