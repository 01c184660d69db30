"""Advanced networking on one environment, and the one writer every port forward change goes through.

Cloud Manager's PUT replaces an environment's whole configuration, so concurrent changes (several
`PortForward`s, an `EnvironmentAdvancedNetworking`) are merged per environment by a batcher: one
GET, one PUT for the lot, one wait (issue 3).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any, ClassVar

from pulumi.dynamic import CheckFailure, CheckResult, CreateResult, ReadResult, UpdateResult
from pydantic import AfterValidator, Field, field_validator
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient, CloudManagerError, NotFoundError
from aem_pulumi.models.advanced_networking import AdvancedNetworkingUpdate
from aem_pulumi.providers import base
from aem_pulumi.providers.base import CloudManagerProvider, Inputs, ProviderError
from aem_pulumi.providers.batching import Batcher, batcher_for
from aem_pulumi.providers.environments import (
    Deadline,
    get_environment,
    wait_applied,
    wait_writable,
    write_when_ready,
)
from aem_pulumi.providers.rules import (
    PortForwardRule,
    check_non_proxy_host,
    duplicate_port_origs,
    rules_as_dicts,
)
from aem_pulumi.providers.timeouts import check_timeouts, timeout_for
from aem_pulumi.providers.waiting import OperationFailed

# Behaviour page: enable/disable/change advanced networking ~10 min; provider default 45 min.
DEFAULT_TIMEOUTS = {"create": 45 * 60.0, "update": 45 * 60.0, "delete": 45 * 60.0}


@dataclass(frozen=True)
class NetworkingState:
    """An environment's advanced networking as one value: enabled, non-proxy hosts, rules."""

    enabled: bool
    non_proxy_hosts: tuple[str, ...] = ()
    rules: tuple[PortForwardRule, ...] = ()

    def rule(self, port_orig: int) -> PortForwardRule | None:
        """The rule on `port_orig`, if any."""
        return next((r for r in self.rules if r.port_orig == port_orig), None)

    def same_as(self, other: NetworkingState) -> bool:
        """Equal as Cloud Manager sees it (rule order and host order do not matter)."""
        return (self.enabled, set(self.non_proxy_hosts), _rule_set(self.rules)) == (
            other.enabled,
            set(other.non_proxy_hosts),
            _rule_set(other.rules),
        )


def _rule_set(rules: Sequence[PortForwardRule]) -> set[tuple[str, int, int | None]]:
    return {(r.host, r.port_dest, r.port_orig) for r in rules}


def _same_rule(a: PortForwardRule, b: PortForwardRule) -> bool:
    return _rule_set([a]) == _rule_set([b])


@dataclass(frozen=True)
class Change:
    """One resource's change to an environment's configuration, applied in arrival order."""

    who: str
    deadline: Deadline
    # A removal from an environment that no longer exists is already done (404 = gone).
    removes: ClassVar[bool] = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        """The state after this change; ProviderError when it cannot apply."""
        raise NotImplementedError


@dataclass(frozen=True)
class Enable(Change):
    """Enable (or change) with these hosts; `rules` None keeps the existing rules."""

    non_proxy_hosts: tuple[str, ...] = ()
    rules: tuple[PortForwardRule, ...] | None = None
    creating: bool = False
    adopt: bool = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        wanted = NetworkingState(
            True, self.non_proxy_hosts, state.rules if self.rules is None else self.rules
        )
        if self.creating and state.enabled and not (self.adopt and wanted.same_as(state)):
            raise ProviderError(_already_enabled(self, state, wanted))
        return wanted


@dataclass(frozen=True)
class Disable(Change):
    """Disable advanced networking (nothing to do when it already is)."""

    removes: ClassVar[bool] = True

    def apply(self, state: NetworkingState) -> NetworkingState:
        return NetworkingState(False)


@dataclass(frozen=True)
class PutRule(Change):
    """Add a rule, or (`replacing`) change the host/port of the rule on the same port_orig."""

    rule: PortForwardRule
    environment_id: str
    replacing: bool = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        if not state.enabled:
            raise ProviderError(
                f"{self.who}: advanced networking is not enabled on environment "
                f"{self.environment_id}; create an EnvironmentAdvancedNetworking for it first "
                "and make this resource depend on it"
            )
        assert self.rule.port_orig is not None
        existing = state.rule(self.rule.port_orig)
        if existing is not None and not self.replacing and not _same_rule(existing, self.rule):
            raise ProviderError(
                f"{self.who}: port_orig {self.rule.port_orig} of environment "
                f"{self.environment_id} is already used by {existing.describe()}; choose "
                "another port_orig or remove that rule"
            )
        others = tuple(r for r in state.rules if r.port_orig != self.rule.port_orig)
        return replace(state, rules=(*others, self.rule))


@dataclass(frozen=True)
class RemoveRule(Change):
    """Remove the rule on `port_orig` (nothing to do when it is gone)."""

    port_orig: int = 0
    removes: ClassVar[bool] = True

    def apply(self, state: NetworkingState) -> NetworkingState:
        rules = tuple(r for r in state.rules if r.port_orig != self.port_orig)
        return replace(state, rules=rules)


def _already_enabled(change: Enable, state: NetworkingState, wanted: NetworkingState) -> str:
    if not change.adopt:
        return (
            f"{change.who}: advanced networking is already enabled on this environment; "
            "set adopt=True to take over the existing configuration"
        )
    return (
        f"{change.who}: cannot adopt the advanced networking enabled on this environment, it "
        f"differs from the inputs: {'; '.join(_differences(state, wanted))}; make the inputs "
        "match it (or change it in Cloud Manager), then run `pulumi up` again"
    )


def _differences(found: NetworkingState, wanted: NetworkingState) -> list[str]:
    """What the environment has that the inputs do not want, and the reverse."""
    differences = []
    if set(found.non_proxy_hosts) != set(wanted.non_proxy_hosts):
        differences.append(
            f"non-proxy hosts are [{_hosts(found)}], the inputs want [{_hosts(wanted)}]"
        )
    missing = _absent(wanted.rules, found.rules)
    extra = _absent(found.rules, wanted.rules)
    differences += [f"port forward {r.describe()} is missing" for r in missing]
    differences += [f"port forward {r.describe()} is not in the inputs" for r in extra]
    return differences


def _absent(
    rules: Sequence[PortForwardRule], other: Sequence[PortForwardRule]
) -> list[PortForwardRule]:
    """The rules of `rules` that `other` does not hold."""
    present = _rule_set(other)
    return [r for r in rules if not _rule_set([r]) <= present]


def _hosts(state: NetworkingState) -> str:
    return ", ".join(sorted(state.non_proxy_hosts))


class ConfigurationWriter:
    """Applies batches of changes to one environment: GET, one PUT or DELETE, wait, verify."""

    def __init__(self, client: CloudManagerClient, program_id: str, environment_id: str) -> None:
        self._client = client
        self._program_id = program_id
        self._environment_id = environment_id

    def prepare(self, changes: Sequence[Change]) -> None:
        """Wait until the environment accepts a write (more changes queue meanwhile)."""
        wait_writable(
            self._client, self._program_id, self._environment_id, _latest(changes), _who(changes)
        )

    def apply(self, changes: Sequence[Change]) -> list[BaseException | None]:
        """Apply every change that can apply in one write; each change gets its own outcome."""
        current = self.read()
        state = current
        errors: list[BaseException | None] = []
        for change in changes:
            try:
                state = change.apply(state)
                errors.append(None)
            except ProviderError as exc:
                errors.append(exc)
        applied = [c for c, e in zip(changes, errors, strict=True) if e is None]
        if applied and not state.same_as(current):
            self._write(state, applied)
        return errors

    def read(self) -> NetworkingState:
        """The environment's configuration now (all regions share one)."""
        configs = self._client.get_advanced_networking(self._program_id, self._environment_id)
        enabled = [c for c in configs if c.advanced_networking_enabled]
        if not enabled:
            return NetworkingState(False)
        config = enabled[0]
        rules = tuple(PortForwardRule.from_api(r) for r in config.port_forwards)
        return NetworkingState(True, tuple(config.non_proxy_hosts), rules)

    def _write(self, state: NetworkingState, changes: Sequence[Change]) -> None:
        """One PUT (or DELETE), retried while the environment is busy; wait; verify."""
        deadline, who = _latest(changes), _who(changes)
        where = (self._client, self._program_id, self._environment_id, deadline, who)
        try:
            write_when_ready(self._request(state), *where)
            wait_applied(*where)
        except CloudManagerError as exc:
            raise ProviderError(
                f"{who}: writing the advanced networking of environment {self._environment_id} "
                f"failed: {exc}"
            ) from None
        except OperationFailed as exc:  # ended `failed` (or in a state nobody expects)
            raise ProviderError(
                f"{exc}; its advanced networking change did not complete: see the environment's "
                "activity in Cloud Manager, then run `pulumi up` again"
            ) from None
        self._verify(state, who)

    def _request(self, state: NetworkingState) -> Callable[[], object]:
        """The API call that makes the environment's configuration `state`."""
        program_id, environment_id = self._program_id, self._environment_id
        if not state.enabled:
            return lambda: self._client.delete_advanced_networking(program_id, environment_id)
        body = AdvancedNetworkingUpdate(
            non_proxy_hosts=list(state.non_proxy_hosts),
            port_forwards=[r.to_api() for r in state.rules],
        )
        return lambda: self._client.put_advanced_networking(program_id, environment_id, body)

    def _verify(self, state: NetworkingState, who: str) -> None:
        if not self.read().same_as(state):
            raise ProviderError(
                f"{who}: environment {self._environment_id} is ready again but its advanced "
                "networking is not what was written (the update was rolled back); retry `pulumi up`"
            )


def _latest(changes: Sequence[Change]) -> Deadline:
    return max((c.deadline for c in changes), key=lambda d: d.remaining())


def _who(changes: Sequence[Change]) -> str:
    return ", ".join(dict.fromkeys(c.who for c in changes))


def submit(program_id: str, environment_id: str, change: Change) -> None:
    """Apply `change` to the environment, merged with any concurrent ones; raise its own error."""
    client = base.client()
    try:
        get_environment(client, program_id, environment_id, change.who)  # fail before a write
    except ProviderError:
        if change.removes:
            return  # the environment is gone, and what was to be removed with it
        raise
    if isinstance(change, Enable):
        _require_ready_infrastructure(client, program_id, change.who)
    writer = ConfigurationWriter(client, program_id, environment_id)
    key = (client.settings.api_url, program_id, environment_id, "advancedNetworking")
    batcher: Batcher[Change] = batcher_for(key, lambda: Batcher(writer.apply, writer.prepare))
    batcher.submit(change)


def _require_ready_infrastructure(client: CloudManagerClient, program_id: str, who: str) -> None:
    """Cloud Manager refuses to enable advanced networking before the program's infrastructure."""
    found = client.list_network_infrastructures(program_id)
    if any(i.status == "ready" for i in found):
        return
    statuses = ", ".join(f"{i.region} '{i.status}'" for i in found) or "none"
    raise ProviderError(
        f"{who}: program {program_id} has no ready network infrastructure (found: {statuses}); "
        "create an AdvancedNetworking resource for the program first and make this resource "
        "depend on it"
    )


def read_state(program_id: str, environment_id: str) -> NetworkingState:
    """The environment's configuration now; disabled when the environment is gone (404)."""
    try:
        return ConfigurationWriter(base.client(), program_id, environment_id).read()
    except NotFoundError:
        return NetworkingState(False)


class EnvironmentAdvancedNetworkingInputs(Inputs):
    """Inputs of `EnvironmentAdvancedNetworking`."""

    program_id: str = Field(min_length=1)
    """Cloud Manager program id."""
    environment_id: str = Field(min_length=1)
    """Environment id within the program."""
    non_proxy_hosts: list[Annotated[str, AfterValidator(check_non_proxy_host)]] | None = None
    """Hosts reached directly, bypassing the proxy (dedicatedEgressIp and vpn only); `*.` may lead."""
    port_forwards: list[PortForwardRule] | None = None
    """When given, the whole rule list (one write for all; foreign rules show as drift); when
    omitted, rules belong to `PortForward` resources and are preserved."""
    adopt: bool = False
    """Take over advanced networking that is already enabled, if it matches the inputs."""
    timeouts: dict[str, str] | None = None
    """Deadlines such as `{"create": "45m", "update": "45m", "delete": "45m"}`."""

    @field_validator("timeouts")
    @classmethod
    def _timeouts(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        check_timeouts(value)
        return value


class EnvironmentAdvancedNetworkingProvider(CloudManagerProvider):
    """Enables advanced networking on one environment, disables it on delete."""

    inputs_model: ClassVar[type[Inputs]] = EnvironmentAdvancedNetworkingInputs
    replace_on_change = frozenset({"program_id", "environment_id"})
    kind = "EnvironmentAdvancedNetworking"

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """The model's checks, plus unique port_orig among the valid, known `port_forwards`."""
        result = super().check(olds, news)
        rules = news.get("port_forwards")
        port_origs = [_port_orig(r) for r in rules] if isinstance(rules, list) else []
        duplicates = [
            CheckFailure(f"port_forwards[{i}].port_orig", why)
            for i, why in duplicate_port_origs(port_origs)
        ]
        return CheckResult(result.inputs, [*result.failures, *duplicates])

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Enable with the inputs (or adopt a matching configuration) and wait until applied."""
        inputs = EnvironmentAdvancedNetworkingInputs.model_validate(_inputs(props))
        submit(
            inputs.program_id, inputs.environment_id, self._enable(inputs, "create", creating=True)
        )
        return CreateResult(f"{inputs.program_id}/{inputs.environment_id}", self._outputs(inputs))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Write the new hosts/rules in one PUT and wait until applied."""
        inputs = EnvironmentAdvancedNetworkingInputs.model_validate(_inputs(news))
        submit(inputs.program_id, inputs.environment_id, self._enable(inputs, "update"))
        return UpdateResult(self._outputs(inputs))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Disable advanced networking and wait until the environment is ready."""
        inputs = EnvironmentAdvancedNetworkingInputs.model_validate(_inputs(props))
        who = f"{self.kind} '{inputs.resource_name}'"
        deadline = Deadline(timeout_for("delete", inputs.timeouts, DEFAULT_TIMEOUTS), "delete")
        submit(inputs.program_id, inputs.environment_id, Disable(who, deadline))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """What is enabled now; gone when advanced networking is disabled."""
        inputs = EnvironmentAdvancedNetworkingInputs.model_validate(_inputs(props))
        state = read_state(inputs.program_id, inputs.environment_id)
        if not state.enabled:
            return ReadResult(None, {})
        outs = self._outputs(_found(inputs, state))
        return ReadResult(id_, outs, _inputs(outs))

    def _enable(
        self, inputs: EnvironmentAdvancedNetworkingInputs, op: str, creating: bool = False
    ) -> Enable:
        who = f"{self.kind} '{inputs.resource_name}'"
        deadline = Deadline(timeout_for(op, inputs.timeouts, DEFAULT_TIMEOUTS), op)
        rules = None if inputs.port_forwards is None else tuple(inputs.port_forwards)
        hosts = tuple(inputs.non_proxy_hosts or ())
        return Enable(who, deadline, hosts, rules, creating=creating, adopt=inputs.adopt)

    @staticmethod
    def _outputs(inputs: EnvironmentAdvancedNetworkingInputs) -> dict[str, Any]:
        outs = inputs.model_dump(mode="json")
        outs["port_forwards"] = rules_as_dicts(inputs.port_forwards)
        return outs


def _found(
    inputs: EnvironmentAdvancedNetworkingInputs, state: NetworkingState
) -> EnvironmentAdvancedNetworkingInputs:
    """The inputs that describe `state`; unset stays unset while Cloud Manager has none."""
    hosts = list(state.non_proxy_hosts)
    found = inputs.model_copy(
        update={"non_proxy_hosts": hosts or (None if inputs.non_proxy_hosts is None else [])}
    )
    if inputs.port_forwards is not None:  # rules are this resource's only when it lists them
        found.port_forwards = list(state.rules)
    return found


def _port_orig(rule: Any) -> int | None:
    """A rule's port_orig (default filled in); None when the rule is invalid or not yet known."""
    try:
        return PortForwardRule.model_validate(rule).port_orig
    except PydanticValidationError:
        return None


def _inputs(props: dict[str, Any]) -> dict[str, Any]:
    """The input keys of a property bag (outputs and `__provider` left out)."""
    return {k: v for k, v in props.items() if k in EnvironmentAdvancedNetworkingInputs.model_fields}
