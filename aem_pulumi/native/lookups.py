"""The plugin's lookups as functions: `get_x` (a value) and `get_x_output` (an Output), as
pulumi-aws has them. Results are the plugin's result models (snake_case attributes)."""

from __future__ import annotations

from typing import Any, TypeVar

import pulumi
import pulumi.runtime
from pydantic import BaseModel

from aem_pulumi.plugin.lookups import (
    GetEnvironmentResult,
    GetNetworkInfrastructureResult,
    GetProgramResult,
)
from aem_pulumi.plugin.names import camel_keys, snake_keys

R = TypeVar("R", bound=BaseModel)


def _args(**values: Any) -> dict[str, Any]:
    args: dict[str, Any] = camel_keys({k: v for k, v in values.items() if v is not None})
    return args


def _call(token: str, result: type[R], args: dict[str, Any], opts: Any) -> R:
    answer = pulumi.runtime.invoke(token, args, opts)
    return result.model_validate(snake_keys(dict(answer.value)))


def _call_output(token: str, result: type[R], args: dict[str, Any], opts: Any) -> pulumi.Output[R]:
    answer = pulumi.runtime.invoke_output(token, args, opts)
    return answer.apply(lambda value: result.model_validate(snake_keys(dict(value))))


def get_program(program_id: str, opts: pulumi.InvokeOptions | None = None) -> GetProgramResult:
    """A Cloud Manager program and its regions (`aem:index:getProgram`)."""
    return _call("aem:index:getProgram", GetProgramResult, _args(program_id=program_id), opts)


def get_program_output(
    program_id: pulumi.Input[str], opts: pulumi.InvokeOutputOptions | None = None
) -> pulumi.Output[GetProgramResult]:
    """`get_program` as an Output."""
    args = _args(program_id=program_id)
    return _call_output("aem:index:getProgram", GetProgramResult, args, opts)


def get_environment(
    program_id: str,
    environment_id: str | None = None,
    name: str | None = None,
    opts: pulumi.InvokeOptions | None = None,
) -> GetEnvironmentResult:
    """An environment by id, or by name (`dev`) (`aem:index:getEnvironment`)."""
    args = _args(program_id=program_id, environment_id=environment_id, name=name)
    return _call("aem:index:getEnvironment", GetEnvironmentResult, args, opts)


def get_environment_output(
    program_id: pulumi.Input[str],
    environment_id: pulumi.Input[str] | None = None,
    name: pulumi.Input[str] | None = None,
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetEnvironmentResult]:
    """`get_environment` as an Output."""
    args = _args(program_id=program_id, environment_id=environment_id, name=name)
    return _call_output("aem:index:getEnvironment", GetEnvironmentResult, args, opts)


def get_network_infrastructure(
    program_id: str, region: str, opts: pulumi.InvokeOptions | None = None
) -> GetNetworkInfrastructureResult:
    """A program's network infrastructure in a region (`aem:index:getNetworkInfrastructure`)."""
    args = _args(program_id=program_id, region=region)
    token = "aem:index:getNetworkInfrastructure"
    return _call(token, GetNetworkInfrastructureResult, args, opts)


def get_network_infrastructure_output(
    program_id: pulumi.Input[str],
    region: pulumi.Input[str],
    opts: pulumi.InvokeOutputOptions | None = None,
) -> pulumi.Output[GetNetworkInfrastructureResult]:
    """`get_network_infrastructure` as an Output."""
    args = _args(program_id=program_id, region=region)
    token = "aem:index:getNetworkInfrastructure"
    return _call_output(token, GetNetworkInfrastructureResult, args, opts)
