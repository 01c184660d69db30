"""The lookups (invokes): `aem:index:getProgram`, `aem:index:getEnvironment` (by id, or by
program and name: users know "dev", not 20001) and `aem:index:getNetworkInfrastructure` (by
program and region). Each is declared once, as argument and result models; the schema's
`functions` and the argument checks come from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient, NotFoundError
from aem_pulumi.core.advanced_networking import is_history
from aem_pulumi.core.errors import InvalidInputs, RequestFailed
from aem_pulumi.plugin.schema import object_type_properties


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class _Result(BaseModel):
    model_config = ConfigDict(use_attribute_docstrings=True)


class GetProgramArgs(_Args):
    """Arguments of `getProgram`."""

    program_id: str = Field(min_length=1)
    """Cloud Manager program id, e.g. `10001`."""


class GetProgramResult(_Result):
    """A Cloud Manager program."""

    program_id: str
    """Its id."""
    name: str
    """Its name."""
    status: str | None = None
    """Its status, e.g. `ready`."""
    sandbox: bool
    """Whether it is a sandbox program (no advanced networking)."""
    regions: list[str]
    """The regions it may use, e.g. `["va7"]`."""


class GetEnvironmentArgs(_Args):
    """Arguments of `getEnvironment`: the program and the environment's id or name."""

    program_id: str = Field(min_length=1)
    """Cloud Manager program id."""
    environment_id: str | None = None
    """The environment's id, e.g. `20001` (or give `name`)."""
    name: str | None = None
    """The environment's name, e.g. `dev` (or give `environment_id`)."""


class GetEnvironmentResult(_Result):
    """A Cloud Manager environment."""

    program_id: str
    """Its program's id."""
    environment_id: str
    """Its id."""
    name: str | None = None
    """Its name."""
    type: str | None = None
    """`dev`, `stage`, `prod` or `rde`."""
    status: str | None = None
    """Its status, e.g. `ready`."""
    region: str | None = None
    """Its region, e.g. `va7`."""


class GetNetworkInfrastructureArgs(_Args):
    """Arguments of `getNetworkInfrastructure`."""

    program_id: str = Field(min_length=1)
    """Cloud Manager program id."""
    region: str = Field(min_length=1)
    """The region, e.g. `va7`."""


class GetNetworkInfrastructureResult(_Result):
    """A program's network infrastructure in one region."""

    program_id: str
    """Its program's id."""
    infrastructure_id: str
    """Cloud Manager's id of the infrastructure."""
    kind: str
    """`flexiblePortEgress`, `dedicatedEgressIp` or `vpn`."""
    region: str
    """Its region."""
    status: str | None = None
    """Its status, e.g. `ready`."""


@dataclass(frozen=True)
class Failures:
    """Bad arguments: (property, reason) each."""

    failures: list[tuple[str, str]]


@dataclass(frozen=True)
class Lookup:
    """One invoke: its token name, models and the call."""

    name: str
    description: str
    args: type[BaseModel]
    result: type[BaseModel]
    call: Callable[[Any, CloudManagerClient], BaseModel]

    @property
    def token(self) -> str:
        """`aem:index:getProgram`."""
        return f"aem:index:{self.name}"


def _get_program(args: GetProgramArgs, client: CloudManagerClient) -> GetProgramResult:
    what = f"getProgram: program {args.program_id}"
    try:
        program = client.get_program(args.program_id)
        regions = [r.name for r in client.list_regions(args.program_id)]
    except NotFoundError:
        raise RequestFailed(f"{what} does not exist (or these credentials cannot see it)") from None
    sandbox = bool(program.capabilities and program.capabilities.sandbox)
    return GetProgramResult(
        program_id=program.id,
        name=program.name,
        status=program.status,
        sandbox=sandbox,
        regions=regions,
    )


def _get_environment(args: GetEnvironmentArgs, client: CloudManagerClient) -> GetEnvironmentResult:
    if (args.environment_id is None) == (args.name is None):
        raise InvalidInputs("getEnvironment: give exactly one of environmentId and name")
    try:
        found = client.list_environments(args.program_id)
    except NotFoundError:
        raise RequestFailed(f"getEnvironment: program {args.program_id} does not exist") from None
    matches = [
        e for e in found if e.id == args.environment_id or (args.name and e.name == args.name)
    ]
    if len(matches) != 1:
        wanted = f"id {args.environment_id}" if args.environment_id else f"name '{args.name}'"
        names = ", ".join(f"{e.id} ({e.name})" for e in found) or "none"
        count = "no" if not matches else f"{len(matches)}"
        raise RequestFailed(
            f"getEnvironment: program {args.program_id} has {count} environments with {wanted}; "
            f"it has: {names}"
        )
    env = matches[0]
    return GetEnvironmentResult(
        program_id=args.program_id,
        environment_id=env.id,
        name=env.name,
        type=env.type,
        status=env.status,
        region=env.region,
    )


def _get_network_infrastructure(
    args: GetNetworkInfrastructureArgs, client: CloudManagerClient
) -> GetNetworkInfrastructureResult:
    try:
        found = client.list_network_infrastructures(args.program_id)
    except NotFoundError:
        raise RequestFailed(
            f"getNetworkInfrastructure: program {args.program_id} does not exist"
        ) from None
    live = [i for i in found if i.region == args.region and not is_history(i)]
    if not live:
        raise RequestFailed(
            f"getNetworkInfrastructure: program {args.program_id} has no network "
            f"infrastructure in region {args.region}"
        )
    infra = live[0]
    return GetNetworkInfrastructureResult(
        program_id=args.program_id,
        infrastructure_id=str(infra.id),
        kind=infra.kind,
        region=infra.region,
        status=infra.status,
    )


LOOKUPS = (
    Lookup(
        "getProgram",
        "A Cloud Manager program and the regions it may use.",
        GetProgramArgs,
        GetProgramResult,
        _get_program,
    ),
    Lookup(
        "getEnvironment",
        "An environment of a program, by id or by name (`dev`).",
        GetEnvironmentArgs,
        GetEnvironmentResult,
        _get_environment,
    ),
    Lookup(
        "getNetworkInfrastructure",
        "A program's network infrastructure in one region.",
        GetNetworkInfrastructureArgs,
        GetNetworkInfrastructureResult,
        _get_network_infrastructure,
    ),
)


def invoke(
    token: str, args: dict[str, Any], client: Callable[[], CloudManagerClient]
) -> dict[str, Any] | Failures:
    """Run the lookup `token` with (snake_case) `args`; its result, or what is wrong with args."""
    lookup = next((item for item in LOOKUPS if item.token == token), None)
    if lookup is None:
        known = ", ".join(item.token for item in LOOKUPS)
        raise InvalidInputs(f"aem provider: unknown function '{token}'; known: {known}")
    try:
        parsed = lookup.args.model_validate(args)
    except PydanticValidationError as exc:
        return Failures([(".".join(str(p) for p in e["loc"]), e["msg"]) for e in exc.errors()])
    result: dict[str, Any] = lookup.call(parsed, client()).model_dump(mode="json")
    return result


def schema_functions() -> dict[str, Any]:
    """The schema's `functions`."""
    return {
        item.token: {
            "description": item.description,
            "inputs": object_type_properties(item.args),
            "outputs": object_type_properties(item.result),
        }
        for item in LOOKUPS
    }
