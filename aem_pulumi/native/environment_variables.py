"""`EnvironmentVariables` through the plugin: a set of variables of one environment and service."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi

from aem_pulumi.core.environment_variables import ENVIRONMENT_VARIABLES
from aem_pulumi.dynamic.additions import Additions
from aem_pulumi.native.resource import NativeResource


class EnvironmentVariables(NativeResource):
    """Variables and secrets of one environment and service in one PATCH; as
    `aem_pulumi.EnvironmentVariables`."""

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    variables: pulumi.Output[dict[str, str] | None]
    secrets: pulumi.Output[dict[str, str] | None]
    service: pulumi.Output[str | None]
    authoritative: pulumi.Output[bool]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    names: pulumi.Output[list[str]]
    status: pulumi.Output[str]

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        variables: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        secrets: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        service: pulumi.Input[str] | None = None,
        authoritative: pulumi.Input[bool] = False,
        adopt: pulumi.Input[bool] = False,
        timeouts: pulumi.Input[Mapping[str, pulumi.Input[str]]] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        self._added_variables = Additions(f"EnvironmentVariables '{resource_name}'")
        self._added_secrets = Additions(f"EnvironmentVariables '{resource_name}'")
        inputs = {
            "program_id": program_id,
            "environment_id": environment_id,
            "variables": self._added_variables.merged_map(variables),
            "secrets": pulumi.Output.secret(self._added_secrets.merged_map(secrets)),
            "service": service,
            "authoritative": authoritative,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        declaration = ENVIRONMENT_VARIABLES
        super().__init__(declaration.token, resource_name, inputs, declaration.output_names(), opts)

    def add_variable(self, name: str, value: pulumi.Input[str]) -> None:
        """Add a `string` variable to the set, during the program's body."""
        self._added_variables.add(name, value)

    def add_secret(self, name: str, value: pulumi.Input[str]) -> None:
        """Add a `secretString` variable to the set, during the program's body."""
        self._added_secrets.add(name, pulumi.Output.secret(value))
