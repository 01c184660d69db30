"""Cloud Manager environment variables (`string`) and secrets (`secretString`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pulumi
import pulumi.dynamic

from aem_pulumi.core.variables import ENVIRONMENT_SECRET, ENVIRONMENT_VARIABLE
from aem_pulumi.dynamic.provider import DynamicProvider
from aem_pulumi.dynamic.resource import resource_props, with_secret_outputs

OUTPUTS = ENVIRONMENT_VARIABLE.output_names()


class EnvironmentVariableProvider(DynamicProvider):
    """The dynamic provider of `EnvironmentVariable`."""

    declaration = ENVIRONMENT_VARIABLE


class EnvironmentSecretProvider(DynamicProvider):
    """The dynamic provider of `EnvironmentSecret`."""

    declaration = ENVIRONMENT_SECRET


class EnvironmentSecret(pulumi.dynamic.Resource, module="aem", name="EnvironmentSecret"):
    """A `secretString` variable of a Cloud Manager environment; its value is secret everywhere."""

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    name: pulumi.Output[str]
    value: pulumi.Output[str]
    service: pulumi.Output[str | None]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    type: pulumi.Output[str]
    """`secretString` (what Cloud Manager holds; a refresh may find another type)."""
    status: pulumi.Output[str]
    """The variable's status in Cloud Manager, e.g. `ready`."""

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
            EnvironmentSecretProvider(),
            resource_name,
            resource_props(
                resource_name,
                {**inputs, "adopt": adopt, "timeouts": timeouts},
                outputs=OUTPUTS,
                opts=opts,
            ),
            with_secret_outputs(opts, ENVIRONMENT_SECRET.secret_properties()),
        )


class EnvironmentVariable(pulumi.dynamic.Resource, module="aem", name="EnvironmentVariable"):
    """A `string` variable of a Cloud Manager environment; a refresh sees its value drift."""

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    name: pulumi.Output[str]
    value: pulumi.Output[str]
    service: pulumi.Output[str | None]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    type: pulumi.Output[str]
    """`string` (what Cloud Manager holds; a refresh may find another type)."""
    status: pulumi.Output[str]
    """The variable's status in Cloud Manager, e.g. `ready`."""

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
            EnvironmentVariableProvider(),
            resource_name,
            resource_props(
                resource_name,
                {**inputs, "adopt": adopt, "timeouts": timeouts},
                outputs=OUTPUTS,
                opts=opts,
            ),
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
