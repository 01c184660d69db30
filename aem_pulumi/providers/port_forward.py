"""One port forward rule on an environment, added and removed without disturbing other rules."""

from __future__ import annotations

from typing import Any, ClassVar

from pulumi.dynamic import CheckResult, CreateResult, ReadResult, UpdateResult
from pydantic import Field, field_validator

from aem_pulumi.providers.advanced_networking import (
    DEFAULT_TIMEOUTS,
    PutRule,
    RemoveRule,
    read_state,
    submit,
)
from aem_pulumi.providers.base import CloudManagerProvider, Inputs
from aem_pulumi.providers.environments import Deadline
from aem_pulumi.providers.rules import (
    PORT_ORIG_MAX,
    PORT_ORIG_MIN,
    PortForwardRule,
    default_port_orig,
)
from aem_pulumi.providers.timeouts import check_timeouts, timeout_for


class PortForwardInputs(Inputs, PortForwardRule):
    """Inputs of `PortForward`: the rule (host, port_dest, port_orig) and where it goes."""

    program_id: str = Field(min_length=1)
    """Cloud Manager program id."""
    environment_id: str = Field(min_length=1)
    """Environment id within the program (advanced networking must be enabled on it)."""
    timeouts: dict[str, str] | None = None
    """Deadlines such as `{"create": "45m", "update": "45m", "delete": "45m"}`."""

    @field_validator("timeouts")
    @classmethod
    def _timeouts(cls, value: dict[str, str] | None) -> dict[str, str] | None:
        check_timeouts(value)
        return value

    def rule(self) -> PortForwardRule:
        """The rule these inputs describe."""
        return PortForwardRule(host=self.host, port_dest=self.port_dest, port_orig=self.port_orig)


class PortForwardProvider(CloudManagerProvider):
    """CRUD for one rule; every change goes through the environment's merged writer."""

    inputs_model: ClassVar[type[Inputs]] = PortForwardInputs
    replace_on_change = frozenset({"program_id", "environment_id", "port_orig"})
    kind = "PortForward"

    def check(self, olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """The model's checks, with port_orig's default filled in even while inputs are unknown."""
        # The base check returns unknown-bearing inputs raw; without port_orig, `diff` would
        # announce at preview a replacement (port_orig 30465 -> none) that `up` never does.
        result = super().check(olds, news)
        inputs = dict(result.inputs)
        if inputs.get("port_orig") is None and not result.failures:
            inputs["port_orig"] = _default_port_orig(inputs.get("port_dest"))
        return CheckResult(inputs, result.failures)

    def create(self, props: dict[str, Any]) -> CreateResult:
        """Add the rule (an identical existing rule is taken over) and wait until applied."""
        inputs = self._inputs(props)
        submit(
            inputs.program_id, inputs.environment_id, self._put(inputs, "create", replacing=False)
        )
        return CreateResult(_id(inputs), inputs.model_dump(mode="json"))

    def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """Change host or port_dest of the rule on the same port_orig."""
        inputs = self._inputs(news)
        submit(
            inputs.program_id, inputs.environment_id, self._put(inputs, "update", replacing=True)
        )
        return UpdateResult(inputs.model_dump(mode="json"))

    def delete(self, _id: str, props: dict[str, Any]) -> None:
        """Remove the rule (already gone is fine) and wait until applied."""
        inputs = self._inputs(props)
        assert inputs.port_orig is not None
        deadline = Deadline(timeout_for("delete", inputs.timeouts, DEFAULT_TIMEOUTS), "delete")
        change = RemoveRule(self._who(inputs), deadline, port_orig=inputs.port_orig)
        submit(inputs.program_id, inputs.environment_id, change)

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The rule on this port_orig now; gone when it (or advanced networking) is gone."""
        inputs = self._inputs(props)
        assert inputs.port_orig is not None
        rule = read_state(inputs.program_id, inputs.environment_id).rule(inputs.port_orig)
        if rule is None:
            return ReadResult(None, {})
        found = inputs.model_copy(update={"host": rule.host, "port_dest": rule.port_dest})
        outs = found.model_dump(mode="json")
        return ReadResult(id_, outs, outs)

    def _put(self, inputs: PortForwardInputs, op: str, *, replacing: bool) -> PutRule:
        deadline = Deadline(timeout_for(op, inputs.timeouts, DEFAULT_TIMEOUTS), op)
        return PutRule(self._who(inputs), deadline, inputs.rule(), inputs.environment_id, replacing)

    def _who(self, inputs: PortForwardInputs) -> str:
        return f"{self.kind} '{inputs.resource_name}'"

    @staticmethod
    def _inputs(props: dict[str, Any]) -> PortForwardInputs:
        return PortForwardInputs.model_validate(
            {k: v for k, v in props.items() if k in PortForwardInputs.model_fields}
        )


def _default_port_orig(port_dest: Any) -> int | None:
    """`30000 + port_dest` when port_dest is known (a number, not UNKNOWN) and that fits."""
    known = isinstance(port_dest, int | float) and not isinstance(port_dest, bool)
    return default_port_orig(int(port_dest)) if known else None


def _id(inputs: PortForwardInputs) -> str:
    return f"{inputs.program_id}/{inputs.environment_id}/{inputs.port_orig}"


__all__ = ["PORT_ORIG_MAX", "PORT_ORIG_MIN", "PortForwardInputs", "PortForwardProvider"]
