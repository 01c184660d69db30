"""`EnvironmentVariables`: a set of variables and secrets of one environment and service, written
in one PATCH; with `authoritative=True` the only variables of that service (issue 13)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aem_pulumi.client import NotFoundError
from aem_pulumi.core.checking import input_props
from aem_pulumi.core.declaration import Context, Created, Declaration, Found
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.inputs import REPLACES, SECRET, Inputs, Timeouts
from aem_pulumi.core.ownership import CLAIMS, Identity
from aem_pulumi.core.variables import DEFAULTS, check_name, check_secret_value, check_value
from aem_pulumi.core.writer.variables import VARIABLES, Item, Prune, VariableChange, live
from aem_pulumi.core.writer.writer import writer_for
from aem_pulumi.models.variables import (
    MAX_VARIABLES,
    SERVICES,
    STRING,
    Service,
    Variable,
    VariableType,
)
from aem_pulumi.models.variables import SECRET as SECRET_STRING

Name = Annotated[str, AfterValidator(check_name)]
PlainValue = Annotated[str, AfterValidator(check_value)]
SecretValue = Annotated[str, AfterValidator(check_secret_value)]


class EnvironmentVariablesInputs(Inputs):
    """Inputs of `EnvironmentVariables`."""

    program_id: Annotated[str, REPLACES] = Field(min_length=1)
    """The Cloud Manager program id (e.g. `10001`)."""
    environment_id: Annotated[str, REPLACES] = Field(min_length=1)
    """The environment id within the program (e.g. `20001`)."""
    variables: dict[Name, PlainValue] | None = None
    """`string` variables, name -> value (names and values as for `EnvironmentVariable`)."""
    secrets: Annotated[dict[Name, SecretValue] | None, SECRET] = Field(default=None, repr=False)
    """`secretString` variables, name -> value; secret everywhere, write-only in Cloud Manager."""
    service: Annotated[Service | None, REPLACES] = None
    """`author`, `publish` or `preview`; unset means all services. Changing it replaces the set."""
    authoritative: bool = False
    """Delete, in the same PATCH, every other variable of this service (those another resource
    of the stack declares excepted); a refresh shows them as drift."""
    adopt: bool = False
    """Take over declared variables that already exist and that this stack did not create."""
    timeouts: Timeouts = None
    """Deadlines of `create`, `update` and `delete` as durations; 30m each by default."""

    @model_validator(mode="after")
    def _one_kind_per_name(self) -> EnvironmentVariablesInputs:
        both = sorted(set(self.variables or {}) & set(self.secrets or {}))
        if both:
            raise ValueError(f"{', '.join(both)} declared both in variables and in secrets")
        if len(self.variables or {}) + len(self.secrets or {}) > MAX_VARIABLES:
            raise ValueError(f"at most {MAX_VARIABLES} variables per environment")
        return self

    def declared(self) -> dict[str, tuple[VariableType, str]]:
        """name -> (type, value) of every declared variable."""
        plain = {n: (STRING, v) for n, v in (self.variables or {}).items()}
        return {**plain, **{n: (SECRET_STRING, v) for n, v in (self.secrets or {}).items()}}


class EnvironmentVariablesOutputs(BaseModel):
    """Outputs of `EnvironmentVariables` beyond its inputs."""

    model_config = ConfigDict(use_attribute_docstrings=True)

    names: list[str] | None = None
    """The names this resource holds, sorted (plain text: names are not secret)."""
    status: str | None = None
    """`ready` once Cloud Manager applied the last write."""


class EnvironmentVariablesOperations:
    """CRUD of a set of variables; each create, update or delete is one PATCH."""

    def create(self, inputs: EnvironmentVariablesInputs, ctx: Context) -> Created:
        """Set every declared variable (and prune, when authoritative) in one PATCH."""
        props = inputs.model_dump(mode="json")
        ctx.claim(identities(props))
        items = tuple(_set(inputs, ctx, n, t, v, creating=True) for n, (t, v) in _sorted(inputs))
        _submit(ctx, inputs, "create", items)
        return Created(_id(inputs), _outputs(props))

    def update(
        self, id_: str, olds: Mapping[str, Any], news: EnvironmentVariablesInputs, ctx: Context
    ) -> dict[str, Any]:
        """Send what changed (new, changed and dropped names; the prune) in one PATCH."""
        props = news.model_dump(mode="json")
        ctx.claim(identities(props))
        before = _declared(olds)
        items = [
            _set(news, ctx, name, kind, value, creating=name not in before)
            for name, (kind, value) in _sorted(news)
            if before.get(name) != (kind, value)
        ]
        dropped = sorted(set(before) - set(news.declared()))
        items += [Item(n, news.service, before[n][0]) for n in dropped if not _held(ctx, news, n)]
        if items or news.authoritative:
            _submit(ctx, news, "update", tuple(items))
        CLAIMS.release([_identity(news, n) for n in dropped], ctx.who)
        return _outputs(props)

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """The declared variables as they are now; with authoritative, every other variable of
        the service too (drift). On import (the id alone), every variable of the service."""
        where = _where(state, id_, ctx)
        try:
            found = live(ctx.client.list_variables(where.program_id, where.environment_id))
        except NotFoundError:
            return None
        mine = {v.name: v for k, v in found.items() if (k[1] or None) == where.service}
        importing = not state.get("program_id")
        found_types = {n: _kind(v.type) for n, v in mine.items()}
        declared = {n: (k, "") for n, k in found_types.items()} if importing else _declared(state)
        everything = importing or bool(state.get("authoritative"))
        shown = {n: v for n, v in mine.items() if n in declared or everything}
        if not set(shown) & set(declared):
            return None
        inputs = _found_inputs(where, state, shown, declared, ctx)
        return Found(id_, _outputs(inputs), inputs)

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Delete every declared variable another resource does not hold, in one PATCH."""
        where = _where(state, id_, ctx)
        declared = _declared(state)
        items = tuple(
            Item(n, where.service, kind)
            for n, (kind, _) in sorted(declared.items())
            if not _held(ctx, where, n)
        )
        if items:
            _submit(ctx, where, "delete", items, timeouts=state.get("timeouts"))
        CLAIMS.release([_identity(where, n) for n in declared], ctx.who)


def identities(props: Mapping[str, Any]) -> list[Identity]:
    """Each declared name, in the environment and service (from `names` when the secrets are
    encrypted, as in an exported state)."""
    where = _Where.of(props)
    return [_identity(where, n) for n in _names(props)]


class _Where(BaseModel):
    program_id: str
    environment_id: str
    service: Service | None = None
    authoritative: bool = False

    @classmethod
    def of(cls, props: Mapping[str, Any]) -> _Where:
        return cls(
            program_id=str(props["program_id"]),
            environment_id=str(props["environment_id"]),
            service=props.get("service"),
            authoritative=bool(props.get("authoritative")),
        )


def _where(state: Mapping[str, Any], id_: str, ctx: Context) -> _Where:
    if state.get("program_id"):
        return _Where.of(state)
    parts = id_.split("/")
    if len(parts) != 3 or not all(parts) or parts[2] not in (*SERVICES, "all"):
        raise InvalidInputs(
            f"{ctx.who}: id '{id_}' is not '<program_id>/<environment_id>/<service or all>'"
        )
    service = None if parts[2] == "all" else parts[2]
    return _Where(program_id=parts[0], environment_id=parts[1], service=service)


def _identity(where: _Where | EnvironmentVariablesInputs, name: str) -> Identity:
    return ("variable", where.program_id, where.environment_id, where.service or "", name)


def _names(props: Mapping[str, Any]) -> list[str]:
    plain = props.get("variables")
    secret = props.get("secrets")
    if isinstance(secret, Mapping) or secret is None:
        return sorted({*(plain or {}), *(secret or {})})
    return sorted(props.get("names") or [])


def _declared(props: Mapping[str, Any]) -> dict[str, tuple[VariableType, str]]:
    """name -> (type, value) of what a stored state declares."""
    plain = {n: (STRING, str(v)) for n, v in (props.get("variables") or {}).items()}
    secret = props.get("secrets") or {}
    return {**plain, **{n: (SECRET_STRING, str(v)) for n, v in secret.items()}}


def _sorted(inputs: EnvironmentVariablesInputs) -> list[tuple[str, tuple[VariableType, str]]]:
    return sorted(inputs.declared().items())


def _set(
    inputs: EnvironmentVariablesInputs,
    ctx: Context,
    name: str,
    kind: VariableType,
    value: str,
    *,
    creating: bool,
) -> Item:
    adopt = ctx.may_take(_identity(inputs, name), inputs.adopt)
    return Item(name, inputs.service, kind, value, creating=creating, adopt=adopt)


def _held(ctx: Context, where: _Where | EnvironmentVariablesInputs, name: str) -> bool:
    return bool(ctx.other_holders(_identity(where, name)))


def _submit(
    ctx: Context,
    where: _Where | EnvironmentVariablesInputs,
    op: str,
    items: tuple[Item, ...],
    timeouts: Mapping[str, str] | None = None,
) -> None:
    given = timeouts if timeouts is not None else getattr(where, "timeouts", None)
    deadline = ctx.deadline(op, given, DEFAULTS)
    prune = _prune(ctx, where) if where.authoritative and op != "delete" else None
    change = VariableChange(ctx.who, deadline, where.environment_id, items, prune)
    writer_for(VARIABLES, ctx.client, where.program_id, where.environment_id).submit(change)


def _prune(ctx: Context, where: _Where | EnvironmentVariablesInputs) -> Prune:
    """Every other variable of the service goes, except those another resource holds."""
    found = live(ctx.client.list_variables(where.program_id, where.environment_id))
    keep = frozenset(
        key
        for key, v in found.items()
        if (key[1] or None) == where.service and _held(ctx, where, v.name)
    )
    return Prune(where.service, keep)


def _found_inputs(
    where: _Where,
    state: Mapping[str, Any],
    shown: Mapping[str, Variable],
    declared: Mapping[str, tuple[VariableType, str]],
    ctx: Context,
) -> dict[str, Any]:
    plain = {n: v.value or "" for n, v in shown.items() if v.type == STRING}
    secret = {n: _value(declared, n) for n, v in shown.items() if v.type == SECRET_STRING}
    base = {
        "resource_name": ctx.resource_name,
        **input_props(EnvironmentVariablesInputs, state),
        **where.model_dump(),
    }
    return {**base, "variables": plain or None, "secrets": secret or None}


def _kind(found: str) -> VariableType:
    """A listed type as one of ours (an unknown one reads as a string: its value is listed)."""
    return SECRET_STRING if found == SECRET_STRING else STRING


def _value(declared: Mapping[str, tuple[VariableType, str]], name: str) -> str:
    """The stored value of a declared secret; "" for one found but not declared (drift)."""
    return declared[name][1] if name in declared else ""


def _outputs(props: Mapping[str, Any]) -> dict[str, Any]:
    return {**props, "names": _names(props), "status": "ready"}


def _id(inputs: EnvironmentVariablesInputs) -> str:
    return f"{inputs.program_id}/{inputs.environment_id}/{inputs.service or 'all'}"


ENVIRONMENT_VARIABLES: Declaration[EnvironmentVariablesInputs] = Declaration(
    name="EnvironmentVariables",
    description=(
        "Plain and secret variables of one environment and service, every change in one PATCH; "
        "with `authoritative=True` the only variables of that service."
    ),
    inputs=EnvironmentVariablesInputs,
    outputs=EnvironmentVariablesOutputs,
    operations=EnvironmentVariablesOperations(),
    id_format="{program_id}/{environment_id}/{service or 'all'}",
    identities=identities,
    identity_property="environment_id",
)
