"""`EnvironmentVariables`: plain and secret variables of one environment and service, as one set."""

from __future__ import annotations

from collections.abc import Mapping

import pulumi
import pulumi.dynamic

from aem_pulumi.core.environment_variables import ENVIRONMENT_VARIABLES
from aem_pulumi.dynamic.additions import Additions
from aem_pulumi.dynamic.provider import DynamicProvider
from aem_pulumi.dynamic.resource import resource_props, with_secret_outputs


class EnvironmentVariablesProvider(DynamicProvider):
    """The dynamic provider of `EnvironmentVariables`."""

    declaration = ENVIRONMENT_VARIABLES


class EnvironmentVariables(pulumi.dynamic.Resource, module="aem", name="EnvironmentVariables"):
    """Variables (`variables`) and secrets (`secrets`) of one environment and service; every
    change is one PATCH. With `authoritative=True`, every other variable of the service is
    deleted in that PATCH and a refresh shows foreign ones as drift.

    Id `"{program_id}/{environment_id}/{service or 'all'}"`.
    """

    program_id: pulumi.Output[str]
    environment_id: pulumi.Output[str]
    variables: pulumi.Output[dict[str, str] | None]
    secrets: pulumi.Output[dict[str, str] | None]
    """Secret everywhere."""
    service: pulumi.Output[str | None]
    authoritative: pulumi.Output[bool]
    adopt: pulumi.Output[bool]
    timeouts: pulumi.Output[dict[str, str] | None]
    names: pulumi.Output[list[str]]
    """The names this resource holds."""
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
        secret_map = self._added_secrets.merged_map(secrets)
        inputs = {
            "program_id": program_id,
            "environment_id": environment_id,
            "variables": self._added_variables.merged_map(variables),
            "secrets": pulumi.Output.secret(secret_map),
            "service": service,
            "authoritative": authoritative,
            "adopt": adopt,
            "timeouts": timeouts,
        }
        super().__init__(
            EnvironmentVariablesProvider(),
            resource_name,
            resource_props(resource_name, inputs, ENVIRONMENT_VARIABLES.output_names(), opts),
            with_secret_outputs(opts, ENVIRONMENT_VARIABLES.secret_properties()),
        )

    def add_variable(self, name: str, value: pulumi.Input[str]) -> None:
        """Add a `string` variable to the set, during the program's body."""
        self._added_variables.add(name, value)

    def add_secret(self, name: str, value: pulumi.Input[str]) -> None:
        """Add a `secretString` variable to the set, during the program's body."""
        self._added_secrets.add(name, pulumi.Output.secret(value))
