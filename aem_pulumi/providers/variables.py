"""Cloud Manager environment variables and secrets (behaviour page, "Environment variables and secrets").

A variable is identified by (`name`, `service`) within an environment; its type cannot change and
secret values are write-only. Every write redeploys the environment, so concurrent changes to one
environment are merged into one PATCH (`providers.batching`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from pulumi.dynamic import CreateResult, DiffResult, ReadResult, UpdateResult
from pydantic import Field, field_validator

from aem_pulumi.client import CloudManagerClient, CloudManagerError, NotFoundError
from aem_pulumi.models.variables import (
    NAME_MAX,
    NAME_MIN,
    SECRET,
    SECRET_VALUE_MAX,
    SERVICES,
    STRING,
    VALUE_MAX,
    Service,
    Variable,
    VariableType,
    VariableUpdate,
    variable_key,
)
from aem_pulumi.providers import batching
from aem_pulumi.providers.base import CloudManagerProvider, Inputs, ProviderError, client
from aem_pulumi.providers.environments import (
    Deadline,
    get_environment,
    wait_applied,
    wait_writable,
    write_when_ready,
)
from aem_pulumi.providers.timeouts import check_timeouts, timeout_for

DEFAULTS: Mapping[str, float] = {"create": 30 * 60.0, "update": 30 * 60.0, "delete": 30 * 60.0}
"""Default deadlines (behaviour page, "Timing": variables PATCH, 30 min)."""

RESERVED_PREFIXES = ("INTERNAL_", "ADOBE_", "CONST_")
RESERVED_NAMES = frozenset({"AEM_PROXY_HOST"})
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789")
# Statuses of a variable that no longer exists (the listing may keep it for a while).
_GONE = frozenset({"deleted"})
_FAILED = frozenset({"failed", "deleted_failed"})
Key = tuple[str, str | None]


class VariableInputs(Inputs):
    """Inputs of an `EnvironmentVariable` (a `string` variable)."""

    program_id: str
    """The Cloud Manager program id (e.g. `10001`)."""
    environment_id: str
    """The environment id within the program (e.g. `20001`)."""
    name: str
    """The variable name: `[a-zA-Z_][a-zA-Z_0-9]*`, 2-100 characters; not `INTERNAL_*`, `ADOBE_*`,
    `CONST_*` (ignored by AEM) nor `AEM_PROXY_HOST` (reserved). Changing it replaces the variable."""
    value: str = Field(repr=False)  # may be a secret: never in a repr
    """The value: not empty (an empty value would delete the variable), at most 2048 characters."""
    service: Service | None = None
    """`author`, `publish` or `preview`; unset means all services. Changing it replaces the variable."""
    timeouts: dict[str, str] | None = None
    """Deadlines of `create`, `update` and `delete` as durations (`30m`, `1h30m`, `45s`); 30m each
    by default."""

    @field_validator("timeouts")
    @classmethod
    def _valid_timeouts(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        check_timeouts(value)
        return value

    @field_validator("name")
    @classmethod
    def _valid_name(cls, name: str) -> str:
        if not NAME_MIN <= len(name) <= NAME_MAX:
            raise ValueError(f"must be {NAME_MIN} to {NAME_MAX} characters long")
        if name[0].isdigit() or not set(name) <= _NAME_CHARS:
            raise ValueError(
                "must match [a-zA-Z_][a-zA-Z_0-9]*: letters, digits and underscores, "
                "not starting with a digit"
            )
        return _not_reserved(name)

    @field_validator("value")
    @classmethod
    def _valid_value(cls, value: str) -> str:
        if not value:
            raise ValueError("must not be empty (an empty value deletes the variable)")
        if len(value) > VALUE_MAX:
            raise ValueError(f"must be at most {VALUE_MAX} characters long")
        return value


class SecretInputs(VariableInputs):
    """Inputs of an `EnvironmentSecret` (a `secretString` variable; the value is write-only)."""

    @field_validator("value")
    @classmethod
    def _short_secret(cls, value: str) -> str:
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


@dataclass(frozen=True)
class _Target:
    """Where a variable lives and which resource manages it (read from props, not validated)."""

    kind: str
    resource_name: str
    program_id: str
    environment_id: str
    name: str
    service: Service | None

    @property
    def who(self) -> str:
        return f"{self.kind} '{self.resource_name}'"

    @property
    def key(self) -> Key:
        return variable_key(self.name, self.service)

    @property
    def label(self) -> str:
        """`variable EMAIL_USERNAME (all services)`, as messages name it."""
        return f"variable {self.name} ({_scope(self.service)})"


@dataclass
class _Change:
    """One resource's change, queued for its environment's next PATCH; `status` is its outcome."""

    client: CloudManagerClient
    target: _Target
    deadline: Deadline
    type: VariableType
    value: str = field(default="", repr=False)  # "" deletes
    status: str | None = None


class _VariableProvider(CloudManagerProvider):
    """CRUD of one Cloud Manager variable of `variable_type`; writes are merged per environment."""

    kind: ClassVar[str]
    variable_type: ClassVar[VariableType]
    replace_on_change = frozenset({"program_id", "environment_id", "name", "service"})

    def diff(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """The declared diff, plus a replacement when a refresh found the variable of another type.

        A type cannot change in place, and the new variable cannot coexist with the old one (same
        name and service), hence delete-before-replace.
        """
        result = super().diff(id_, olds, news)
        if olds.get("type") in (None, self.variable_type):
            return result
        return DiffResult(
            changes=True, replaces=[*(result.replaces or []), "type"], delete_before_replace=True
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Set the variable (idempotent: an existing one of the same type takes the value)."""
        target = self._target(props)
        api = client()
        get_environment(api, target.program_id, target.environment_id, target.who)
        status = self._submit(api, target, "create", props, props["value"])
        return CreateResult(_id(target), self._outputs(props, status))

    def update(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Send the new value (only this variable); a change of `timeouts` alone needs no call."""
        if olds.get("value") == news["value"] and olds.get("type") == self.variable_type:
            return UpdateResult(self._outputs(news, olds.get("status") or "ready"))
        target = self._target(news)
        status = self._submit(client(), target, "update", news, news["value"])
        return UpdateResult(self._outputs(news, status))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """What exists: type, service and status (and the value of a `string` variable)."""
        target = self._target(props) if props.get("name") else _target_from_id(self.kind, id_)
        try:
            found = _live(client().list_variables(target.program_id, target.environment_id))
        except NotFoundError:  # the environment (or program) is gone, and the variable with it
            return ReadResult(None, {})
        variable = found.get(target.key)
        if variable is None:
            return ReadResult(None, {})
        return self._read_result(id_, _inputs_of(props, target), variable)

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Delete the variable (empty value with its type) and wait; already gone is fine."""
        target = self._target(props)
        api = client()
        try:
            api.get_environment(target.program_id, target.environment_id)
        except NotFoundError:  # no environment, no variable
            return
        self._submit(api, target, "delete", props, "")

    def _read_result(self, id_: str, inputs: dict[str, Any], variable: Variable) -> ReadResult:
        outputs = {**inputs, "type": variable.type, "status": variable.status or "ready"}
        if self.variable_type == SECRET or variable.type == SECRET:
            return ReadResult(id_, outputs)  # secret values are write-only: keep the known one
        inputs = {**inputs, "value": variable.value}
        return ReadResult(id_, {**outputs, "value": variable.value}, inputs)

    def _submit(
        self, api: CloudManagerClient, target: _Target, op: str, props: dict[str, Any], value: str
    ) -> str | None:
        deadline = Deadline(timeout_for(op, props.get("timeouts"), DEFAULTS), op)
        change = _Change(api, target, deadline, self.variable_type, value)
        key = (api.settings.api_url, target.program_id, target.environment_id, "variables")
        batching.batcher_for(key, _new_batcher).submit(change)
        return change.status

    def _target(self, props: Mapping[str, Any]) -> _Target:
        return _Target(
            kind=self.kind,
            resource_name=str(props.get("resource_name") or props["name"]),
            program_id=str(props["program_id"]),
            environment_id=str(props["environment_id"]),
            name=str(props["name"]),
            service=props.get("service"),
        )

    def _outputs(self, inputs: Mapping[str, Any], status: str | None) -> dict[str, Any]:
        fields = self.inputs_model.model_fields
        return {
            **{k: v for k, v in inputs.items() if k in fields},
            "type": self.variable_type,
            "status": status or "ready",
        }


class EnvironmentVariableProvider(_VariableProvider):
    """A `string` variable: refresh sees its value, type and service."""

    kind = "EnvironmentVariable"
    variable_type = STRING
    inputs_model = VariableInputs


class EnvironmentSecretProvider(_VariableProvider):
    """A `secretString` variable: write-only value, refresh sees existence, type and service."""

    kind = "EnvironmentSecret"
    variable_type = SECRET
    inputs_model = SecretInputs


def _id(target: _Target) -> str:
    return f"{target.program_id}/{target.environment_id}/{target.service or 'all'}/{target.name}"


def _target_from_id(kind: str, id_: str) -> _Target:
    """The target named by an id `{program}/{environment}/{service or all}/{name}`."""
    program_id, environment_id, service, name = id_.split("/", 3)
    scoped = next((s for s in SERVICES if s == service), None)  # "all" -> None
    return _Target(kind, name, program_id, environment_id, name, scoped)


def _inputs_of(props: Mapping[str, Any], target: _Target) -> dict[str, Any]:
    """The inputs in state, from the old outputs (a secret's value can only come from there)."""
    return {
        "resource_name": target.resource_name,
        "program_id": target.program_id,
        "environment_id": target.environment_id,
        "name": target.name,
        "value": props.get("value"),
        "service": target.service,
        "timeouts": props.get("timeouts"),
    }


def _scope(service: str | None) -> str:
    return f"service {service}" if service else "all services"


def _live(variables: Sequence[Variable]) -> dict[Key, Variable]:
    """The environment's variables by (name, service), without deleted ones."""
    return {variable_key(v.name, v.service): v for v in variables if v.status not in _GONE}


# --- The merged write: one PATCH per environment for the changes queued together ----------------


def _new_batcher() -> batching.Batcher[_Change]:
    return batching.Batcher(_apply, _prepare)


def _prepare(changes: Sequence[_Change]) -> None:
    """Wait until the environment accepts writes (the longest deadline in the batch)."""
    first = changes[0]
    target = first.target
    wait_writable(
        first.client, target.program_id, target.environment_id, _latest(changes), _who(changes)
    )


def _apply(changes: Sequence[_Change]) -> list[BaseException | None]:
    """Refuse what cannot work, PATCH the rest at once, wait, then judge each change on its own."""
    api, target = changes[0].client, changes[0].target
    program_id, environment_id = target.program_id, target.environment_id
    before = _live(api.list_variables(program_id, environment_id))
    refusals = [_refusal(c, before) for c in changes]
    updates = _updates([c for c, r in zip(changes, refusals, strict=True) if r is None], before)
    after = before
    if updates:
        _write(changes, updates)
        after = _live(api.list_variables(program_id, environment_id))
    return [r or _outcome(c, after) for c, r in zip(changes, refusals, strict=True)]


def _refusal(change: _Change, current: Mapping[Key, Variable]) -> ProviderError | None:
    """Why `change` cannot be applied (a variable of that name and service of the other type)."""
    existing = current.get(change.target.key)
    if not change.value or existing is None or existing.type == change.type:
        return None
    target = change.target
    return ProviderError(
        f"{target.who}: {target.label} exists as a {existing.type} variable in environment "
        f"{target.environment_id}; Cloud Manager cannot change a variable's type to "
        f"{change.type}: delete it first (in Cloud Manager, or remove the resource that manages "
        "it and run `pulumi up`), or choose another name"
    )


def _updates(changes: Sequence[_Change], current: Mapping[Key, Variable]) -> list[VariableUpdate]:
    """The PATCH items: later change wins per (name, service); deleting a missing one is a no-op."""
    items: dict[Key, VariableUpdate] = {}
    for change in changes:
        target = change.target
        if change.value:
            kind = change.type
        elif target.key in current:
            kind = current[target.key].type  # a secret must be deleted with its type
        else:
            continue
        items[target.key] = VariableUpdate(
            name=target.name, value=change.value, type=kind, service=target.service
        )
    return list(items.values())


def _write(changes: Sequence[_Change], updates: Sequence[VariableUpdate]) -> None:
    """One PATCH (retried while the environment is busy), then wait until it is applied."""
    first = changes[0]
    api, target = first.client, first.target
    program_id, environment_id = target.program_id, target.environment_id
    deadline, who = _latest(changes), _who(changes)
    try:
        write_when_ready(
            lambda: api.patch_variables(program_id, environment_id, updates),
            api,
            program_id,
            environment_id,
            deadline,
            who,
        )
    except CloudManagerError as exc:  # the client has already redacted the values
        raise ProviderError(
            f"{who}: writing variables to environment {environment_id} failed: {exc}"
        ) from None
    wait_applied(api, program_id, environment_id, deadline, who)


def _outcome(change: _Change, after: Mapping[Key, Variable]) -> ProviderError | None:
    """This change's own result, read from the environment's variables after the write."""
    target = change.target
    variable = after.get(target.key)
    where = f"environment {target.environment_id}"
    if variable is not None and variable.status in _FAILED:
        action = "set" if change.value else "delete"
        return ProviderError(
            f"{target.who}: Cloud Manager failed to {action} {target.label} in {where} "
            f"(status '{variable.status}'); see the environment's activity in Cloud Manager, "
            "then try again"
        )
    if change.value and variable is None:
        return ProviderError(
            f"{target.who}: {target.label} is missing from {where} after the update; "
            "run `pulumi up` again"
        )
    if not change.value and variable is not None and variable.status != "deleting":
        return ProviderError(
            f"{target.who}: {target.label} is still in {where} after its deletion "
            f"(status '{variable.status}'); run `pulumi destroy` again"
        )
    change.status = variable.status if variable is not None else "deleted"
    return None


def _latest(changes: Sequence[_Change]) -> Deadline:
    """The batch waits as long as its most patient change allows."""
    return max((c.deadline for c in changes), key=lambda d: d.remaining())


def _who(changes: Sequence[_Change]) -> str:
    """The resources of a batch, for messages: `EnvironmentSecret 'a', EnvironmentVariable 'b'`."""
    names = list(dict.fromkeys(c.target.who for c in changes))
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"
