"""`EnvironmentVariable` and `EnvironmentSecret` through the plugin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi

from aem_pulumi.core.variables import ENVIRONMENT_SECRET, ENVIRONMENT_VARIABLE
from aem_pulumi.native.resource import NativeResource


class EnvironmentSecret(NativeResource):
    """A `secretString` variable; its value is secret everywhere. As `aem_pulumi.EnvironmentSecret`."""

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    name: pulumi.Output[str]
    value: pulumi.Output[str]
    service: pulumi.Output[str | None]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    type: pulumi.Output[str]
    status: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        name: pulumi.Input[str],
        value: pulumi.Input[str],
        service: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = _inputs(program_id, environment_id, name, pulumi.Output.secret(value), service)
        super().__init__(
            ENVIRONMENT_SECRET.token,
            resource_name,
            {**inputs, "adopt": adopt, "timeouts": timeouts},
            ENVIRONMENT_SECRET.output_names(),
            opts,
        )


class EnvironmentVariable(NativeResource):
    """A `string` variable; a refresh sees its value drift. As `aem_pulumi.EnvironmentVariable`."""

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    name: pulumi.Output[str]
    value: pulumi.Output[str]
    service: pulumi.Output[str | None]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    type: pulumi.Output[str]
    status: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        name: pulumi.Input[str],
        value: pulumi.Input[str],
        service: pulumi.Input[str] | None = None,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        inputs = _inputs(program_id, environment_id, name, value, service)
        super().__init__(
            ENVIRONMENT_VARIABLE.token,
            resource_name,
            {**inputs, "adopt": adopt, "timeouts": timeouts},
            ENVIRONMENT_VARIABLE.output_names(),
            opts,
        )


def _inputs(
    program_id: pulumi.Input[str],
    environment_id: pulumi.Input[str],
    name: pulumi.Input[str],
    value: pulumi.Input[str],
    service: pulumi.Input[str] | None,
) -> dict[str, Any]:
    return {
        "program_id": program_id,
        "environment_id": environment_id,
        "name": name,
        "value": value,
        "service": service,
    }
