"""`PortForward`: one port forward rule on an environment."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi.dynamic

from aem_pulumi.core.port_forward import PORT_FORWARD
from aem_pulumi.dynamic.provider import DynamicProvider
from aem_pulumi.dynamic.resource import resource_props


class PortForwardProvider(DynamicProvider):
    """The dynamic provider of `PortForward`."""

    declaration = PORT_FORWARD


class PortForward(pulumi.dynamic.Resource, module="aem", name="PortForward"):
    """AEM reaches `host:port_dest` through `AEM_PROXY_HOST:port_orig`; other rules are left alone.

    Id `"{program_id}/{environment_id}/{port_orig}"`. `host` and `port_dest` update in place;
    `port_orig` or the environment replace it.
    """

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    host: pulumi.Output[str]
    port_dest: pulumi.Output[int]
    port_orig: pulumi.Output[int]
    adopt: pulumi.Output[bool]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        host: pulumi.Input[str],
        port_dest: pulumi.Input[int],
        port_orig: pulumi.Input[int] | None = None,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, str]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = {
            "program_id": program_id,
            "environment_id": environment_id,
            "host": host,
            "port_dest": port_dest,
            "port_orig": port_orig,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        super().__init__(
            PortForwardProvider(),
            resource_name,
            resource_props(resource_name, inputs, opts=opts),
            opts,
        )
