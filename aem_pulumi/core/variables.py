"""`EnvironmentVariable` and `EnvironmentSecret`: one Cloud Manager variable each.

A variable is identified by (`name`, `service`) within an environment; its type cannot change and
secret values are write-only (behaviour page, "Environment variables and secrets"). Every write
goes through the environment writer, merged with concurrent ones into one PATCH.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from aem_pulumi.client import NotFoundError
from aem_pulumi.core.checking import input_props
from aem_pulumi.core.declaration import Adoption, Context, Created, Declaration, Found
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.inputs import REPLACES, SECRET, Inputs, Timeouts
from aem_pulumi.core.ownership import CLAIMS, Identity, describe
from aem_pulumi.core.progress import report
from aem_pulumi.core.writer.variables import VARIABLES, Item, VariableChange, live
from aem_pulumi.core.writer.writer import writer_for
from aem_pulumi.models.variables import (
    NAME_MAX,
    NAME_MIN,
    SECRET_VALUE_MAX,
    SERVICES,
    STRING,
    VALUE_MAX,
    Service,
    VariableType,
    variable_key,
)
from aem_pulumi.models.variables import SECRET as SECRET_STRING

DEFAULTS: Mapping[str, float] = {"create": 30 * 60.0, "update": 30 * 60.0, "delete": 30 * 60.0}
"""Default deadlines (behaviour page, "Timing": variables PATCH, 30 min)."""

RESERVED_PREFIXES = ("INTERNAL_", "ADOBE_", "CONST_")
RESERVED_NAMES = frozenset({"AEM_PROXY_HOST"})
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")


class VariableInputs(Inputs):
    """Inputs of an `EnvironmentVariable` (a `string` variable)."""

    program_id: Annotated[str, REPLACES]
    """The Cloud Manager program id (e.g. `10001`)."""
    environment_id: Annotated[str, REPLACES]
    """The environment id within the program (e.g. `20001`)."""
    name: Annotated[str, REPLACES]
    """The variable name: `[a-zA-Z_][a-zA-Z_0-9]*`, 2-100 characters; not `INTERNAL_*`, `ADOBE_*`,
    `CONST_*` (ignored by AEM) nor `AEM_PROXY_HOST` (reserved). Changing it replaces the variable."""
    value: str = Field(repr=False)  # may be a secret: never in a repr
    """The value: not empty (an empty value would delete the variable), at most 2048 characters."""
    service: Annotated[Service | None, REPLACES] = None
    """`author`, `publish` or `preview`; unset means all services. Changing it replaces the variable."""
    adopt: bool = False
    """Take over a variable of this name and service that already exists and that this stack
    did not create (set with `aio`, the UI or another stack); its value becomes the input's."""
    timeouts: Timeouts = None
    """Deadlines of `create`, `update` and `delete` as durations (`30m`, `1h30m`, `45s`); 30m each
    by default."""

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        return check_name(name)

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: str) -> str:
        return check_value(value)


class SecretInputs(VariableInputs):
    """Inputs of an `EnvironmentSecret` (a `secretString` variable; the value is write-only)."""

    value: Annotated[str, SECRET] = Field(repr=False)
    """The value: not empty (an empty value would delete the variable), at most 2048 characters."""

    @field_validator("value")
    @classmethod
    def _short_secret(cls, value: str) -> str:
        return check_secret_value(value)


def check_name(name: str) -> str:
    """A variable name Cloud Manager accepts and AEM reads (behaviour page)."""
    if not NAME_MIN <= len(name) <= NAME_MAX:
        raise ValueError(f"must be {NAME_MIN} to {NAME_MAX} characters long")
    if name[0].isdigit() or not set(name) <= _NAME_CHARS:
        raise ValueError(
            "must match [a-zA-Z_][a-zA-Z_0-9]*: letters, digits and underscores, "
            "not starting with a digit"
        )
    return _not_reserved(name)


def check_value(value: str) -> str:
    """A value: not empty (an empty value deletes), at most 2048 characters."""
    if not value:
        raise ValueError("must not be empty (an empty value deletes the variable)")
    if len(value) > VALUE_MAX:
        raise ValueError(f"must be at most {VALUE_MAX} characters long")
    return value


def check_secret_value(value: str) -> str:
    """A secret's value: fewer than 500 characters too."""
    check_value(value)
    if len(value) > SECRET_VALUE_MAX:
        raise ValueError(f"a secret must be fewer than {SECRET_VALUE_MAX + 1} characters long")
    return value


def _not_reserved(name: str) -> str:
    prefix = next((p for p in RESERVED_PREFIXES if name.startswith(p)), None)
    if prefix:
        raise ValueError(
            f"names starting {prefix} are accepted by Cloud Manager but ignored by AEM; "
            "choose another name"
        )
    if name in RESERVED_NAMES:
        raise ValueError(
            f"{name} is reserved (AEM sets it for advanced networking); choose another name"
        )
    return name


class VariableOutputs(BaseModel):
    """Outputs of a variable beyond its inputs."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    type: str | None = None
    """`string` or `secretString`: what Cloud Manager holds (a refresh may find another type)."""
    status: str | None = None
    """The variable's status in Cloud Manager, e.g. `ready`."""


@dataclass(frozen=True)
class _Target:
    """Where a variable lives (from the stored inputs, or an id on import)."""

    program_id: str
    environment_id: str
    name: str
    service: Service | None

    @property
    def key(self) -> tuple[str, str | None]:
        return variable_key(self.name, self.service)

    def as_inputs(self) -> dict[str, Any]:
        return {
            "program_id": self.program_id,
            "environment_id": self.environment_id,
            "name": self.name,
            "service": self.service,
        }


class VariableOperations:
    """CRUD of one Cloud Manager variable of `variable_type`; writes are merged per environment."""

    def __init__(self, variable_type: VariableType) -> None:
        self.variable_type = variable_type

    def create(self, inputs: VariableInputs, ctx: Context) -> Created:
        """Set the variable; an existing one is taken over only when it is this stack's or with
        adopt."""
        props = inputs.model_dump(mode="json")
        target = _target(props)
        ctx.claim(identities(props))
        adopt = ctx.may_take(identities(props)[0], inputs.adopt)
        status = self._submit(ctx, target, "create", inputs.timeouts, inputs.value, adopt=adopt)
        return Created(_id(target), self._outputs(props, status))

    def update(
        self, id_: str, olds: Mapping[str, Any], news: VariableInputs, ctx: Context
    ) -> dict[str, Any]:
        """Send the new value (only this variable); a change of `timeouts` alone needs no call."""
        props = news.model_dump(mode="json")
        if olds.get("value") == news.value and olds.get("type") == self.variable_type:
            return self._outputs(props, olds.get("status") or "ready")
        ctx.claim(identities(props))
        status = self._submit(ctx, _target(props), "update", news.timeouts, news.value)
        return self._outputs(props, status)

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """What exists: type, service and status (and the value of a `string` variable)."""
        target = _target(state) if state.get("name") else _target_from_id(id_, ctx)
        try:
            found = live(ctx.client.list_variables(target.program_id, target.environment_id))
        except NotFoundError:  # the environment (or program) is gone, and the variable with it
            return None
        variable = found.get(target.key)
        if variable is None:
            return None
        inputs = {
            "resource_name": ctx.resource_name,
            **input_props(VariableInputs, state),
            **target.as_inputs(),
        }
        outputs = {**inputs, "type": variable.type, "status": variable.status or "ready"}
        if self.variable_type == SECRET_STRING or variable.type == SECRET_STRING:
            # Secret values are write-only: keep the stored inputs (on import there are none).
            return Found(id_, outputs, None if state.get("value") else inputs)
        return Found(id_, {**outputs, "value": variable.value}, {**inputs, "value": variable.value})

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Delete the variable (empty value with its type) and wait; already gone is fine."""
        target = _target(state) if state.get("name") else _target_from_id(id_, ctx)
        identity = _identity(target)
        if self._kept(ctx, target, identity, state):
            return
        self._submit(ctx, target, "delete", state.get("timeouts"), "")
        CLAIMS.release([identity], ctx.who)

    def _kept(
        self, ctx: Context, target: _Target, identity: Identity, state: Mapping[str, Any]
    ) -> bool:
        """Whether the delete must leave the variable alone (and says why)."""
        holders = ctx.other_holders(identity)
        if holders:
            report(
                f"{ctx.who}: leaving {describe(identity)} in place: {', '.join(holders)} holds it"
            )
            return True
        if self.variable_type == SECRET_STRING or ctx.force_delete or not state.get("value"):
            return False  # a secret's value cannot be compared
        try:
            found = live(ctx.client.list_variables(target.program_id, target.environment_id))
        except NotFoundError:
            return False
        variable = found.get(target.key)
        if variable is None or variable.value in (None, state.get("value")):
            return False
        report(
            f"{ctx.who}: leaving {describe(identity)} in place: its value was changed outside "
            "Pulumi; remove it in Cloud Manager, or run the delete again with AEM_FORCE_DELETE=true"
        )
        return True

    def _submit(
        self,
        ctx: Context,
        target: _Target,
        op: str,
        timeouts: Mapping[str, str] | None,
        value: str,
        adopt: Adoption = False,
    ) -> str | None:
        deadline = ctx.deadline(op, timeouts, DEFAULTS)
        item = Item(
            target.name,
            target.service,
            self.variable_type,
            value,
            creating=op == "create",
            adopt=adopt,
        )
        change = VariableChange(ctx.who, deadline, target.environment_id, (item,))
        writer_for(VARIABLES, ctx.client, target.program_id, target.environment_id).submit(change)
        return change.statuses.get(item.key)

    def _outputs(self, inputs: Mapping[str, Any], status: str | None) -> dict[str, Any]:
        return {
            **input_props(VariableInputs, inputs),
            "type": self.variable_type,
            "status": status or "ready",
        }


def identities(props: Mapping[str, Any]) -> list[Identity]:
    """A variable owns its (name, service) in its environment."""
    return [_identity(_target(props))]


def _identity(target: _Target) -> Identity:
    return ("variable", target.program_id, target.environment_id, target.service or "", target.name)


def _id(target: _Target) -> str:
    return f"{target.program_id}/{target.environment_id}/{target.service or 'all'}/{target.name}"


def _target(props: Mapping[str, Any]) -> _Target:
    return _Target(
        program_id=str(props["program_id"]),
        environment_id=str(props["environment_id"]),
        name=str(props["name"]),
        service=props.get("service"),
    )


def _target_from_id(id_: str, ctx: Context) -> _Target:
    """The target named by an id `{program}/{environment}/{service or all}/{name}`."""
    parts = id_.split("/", 3)
    if len(parts) != 4 or not all(parts):
        raise InvalidInputs(
            f"{ctx.who}: id '{id_}' is not '<program_id>/<environment_id>/<service or all>/<name>'"
        )
    program_id, environment_id, service, name = parts
    scoped = next((s for s in SERVICES if s == service), None)  # "all" -> None
    return _Target(program_id, environment_id, name, scoped)


def _type_drift(variable_type: VariableType) -> Any:
    def replace_on_drift(olds: Mapping[str, Any]) -> list[str]:
        """A refresh that found the variable of another type: its type cannot change in place,
        and the new variable cannot coexist with the old (same name and service)."""
        return [] if olds.get("type") in (None, variable_type) else ["type"]

    return replace_on_drift


ENVIRONMENT_VARIABLE: Declaration[VariableInputs] = Declaration(
    name="EnvironmentVariable",
    description="A `string` variable of a Cloud Manager environment; a refresh sees its value drift.",
    inputs=VariableInputs,
    outputs=VariableOutputs,
    operations=VariableOperations(STRING),
    id_format="{program_id}/{environment_id}/{service or 'all'}/{name}",
    replace_on_drift=_type_drift(STRING),
    identities=identities,
    identity_property="name",
)

ENVIRONMENT_SECRET: Declaration[SecretInputs] = Declaration(
    name="EnvironmentSecret",
    description=(
        "A `secretString` variable of a Cloud Manager environment; its value is secret everywhere."
    ),
    inputs=SecretInputs,
    outputs=VariableOutputs,
    operations=VariableOperations(SECRET_STRING),
    id_format="{program_id}/{environment_id}/{service or 'all'}/{name}",
    replace_on_drift=_type_drift(SECRET_STRING),
    identities=identities,
    identity_property="name",
)
