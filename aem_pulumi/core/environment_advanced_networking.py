"""`EnvironmentAdvancedNetworking`: advanced networking enabled on one environment.

Every change goes through the environment writer (`core.writer`), merged with the environment's
`PortForward` changes into one PUT.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.advanced_networking import is_history
from aem_pulumi.core.declaration import Context, Created, Declaration, Found
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.inputs import REPLACES, Inputs, Timeouts, contains_unknown
from aem_pulumi.core.ownership import CLAIMS, Identity, describe
from aem_pulumi.core.progress import report
from aem_pulumi.core.writer.networking import (
    NETWORKING,
    Disable,
    Enable,
    NetworkingState,
    PortForwardRule,
)
from aem_pulumi.core.writer.writer import writer_for

# Behaviour page: enable/disable/change advanced networking ~10 min; provider default 45 min.
DEFAULTS = {"create": 45 * 60.0, "update": 45 * 60.0, "delete": 45 * 60.0}
_NON_PROXY_HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)


def check_non_proxy_host(host: str) -> str:
    """A host name, optionally with a leading wildcard (`*.example.com`)."""
    if not _NON_PROXY_HOST.match(host):
        raise ValueError(
            f"'{host}' is not a lower-case host name; a wildcard may only lead (*.example.com)"
        )
    return host


class EnvironmentAdvancedNetworkingInputs(Inputs):
    """Inputs of `EnvironmentAdvancedNetworking`."""

    program_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Cloud Manager program id."""
    environment_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Environment id within the program."""
    non_proxy_hosts: list[Annotated[str, AfterValidator(check_non_proxy_host)]] | None = None
    """Hosts reached directly, bypassing the proxy (dedicatedEgressIp and vpn only); `*.` may lead."""
    port_forwards: list[PortForwardRule] | None = None
    """When given, the whole rule list (one write for all; foreign rules show as drift); when
    omitted, rules belong to `PortForward` resources and are preserved."""
    adopt: bool = False
    """Take over advanced networking that is already enabled, if it matches the inputs."""
    timeouts: Timeouts = None
    """Deadlines such as `{"create": "45m", "update": "45m", "delete": "45m"}`."""

    @classmethod
    def item_failures(cls, props: Mapping[str, Any]) -> list[tuple[str, str]]:
        """A port_orig used twice in `port_forwards`, reported on the later rule's port_orig."""
        rules = props.get("port_forwards")
        port_origs = [_port_orig(r) for r in rules] if isinstance(rules, list) else []
        seen: dict[int, int] = {}
        failures = []
        for index, port_orig in enumerate(port_origs):
            if port_orig is None:
                continue
            if port_orig in seen:
                reason = (
                    f"port_orig {port_orig} is already used by port_forwards[{seen[port_orig]}]"
                )
                failures.append((f"port_forwards[{index}].port_orig", reason))
            seen.setdefault(port_orig, index)
        return failures


class EnvironmentAdvancedNetworkingOutputs(BaseModel):
    """`EnvironmentAdvancedNetworking` has no outputs beyond its inputs."""

    model_config = ConfigDict(use_attribute_docstrings=True)


class EnvironmentAdvancedNetworkingOperations:
    """Enables advanced networking on one environment, disables it on delete."""

    def create(self, inputs: EnvironmentAdvancedNetworkingInputs, ctx: Context) -> Created:
        """Enable with the inputs (or adopt a matching configuration) and wait until applied."""
        ctx.claim(identities(inputs.model_dump(mode="json")))
        _writer(ctx, inputs).submit(_enable(inputs, ctx, "create", creating=True))
        return Created(f"{inputs.program_id}/{inputs.environment_id}", _outputs(inputs))

    def update(
        self,
        id_: str,
        olds: Mapping[str, Any],
        news: EnvironmentAdvancedNetworkingInputs,
        ctx: Context,
    ) -> dict[str, Any]:
        """Write the new hosts/rules in one PUT and wait until applied."""
        ctx.claim(identities(news.model_dump(mode="json")))
        _writer(ctx, news).submit(_enable(news, ctx, "update"))
        return _outputs(news)

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Disable advanced networking and wait until the environment is ready."""
        inputs = _inputs(state, id_, ctx)
        mine = identities(inputs.model_dump(mode="json"))
        holders = ctx.other_holders(mine[0])
        if holders:
            report(f"{ctx.who}: leaving {describe(mine[0])} enabled: {', '.join(holders)} holds it")
            return
        deadline = ctx.deadline("delete", inputs.timeouts, DEFAULTS)
        _writer(ctx, inputs).submit(Disable(ctx.who, deadline, inputs.environment_id))
        CLAIMS.release(mine, ctx.who)

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """What is enabled now; gone when advanced networking is disabled (or never was)."""
        inputs = _inputs(state, id_, ctx)
        found = _writer(ctx, inputs).read()
        if not found.enabled:
            return None
        outputs = _outputs(_found(inputs, found))
        return Found(id_, outputs, dict(outputs))


def _writer(ctx: Context, inputs: EnvironmentAdvancedNetworkingInputs) -> Any:
    return writer_for(NETWORKING, ctx.client, inputs.program_id, inputs.environment_id)


def _enable(
    inputs: EnvironmentAdvancedNetworkingInputs, ctx: Context, op: str, creating: bool = False
) -> Enable:
    deadline = ctx.deadline(op, inputs.timeouts, DEFAULTS)
    rules = None if inputs.port_forwards is None else tuple(inputs.port_forwards)
    hosts = tuple(inputs.non_proxy_hosts or ())
    adopt = ctx.may_take(identities(inputs.model_dump(mode="json"))[0], inputs.adopt)
    return Enable(
        ctx.who, deadline, inputs.environment_id, hosts, rules, creating=creating, adopt=adopt
    )


def identities(props: Mapping[str, Any]) -> list[Identity]:
    """The environment's advanced networking, and each rule of `port_forwards` when given."""
    program_id, environment_id = str(props["program_id"]), str(props["environment_id"])
    rules = props.get("port_forwards") or []
    return [
        ("advanced networking", program_id, environment_id),
        *(("port forward", program_id, environment_id, str(r["port_orig"])) for r in rules),
    ]


def _outputs(inputs: EnvironmentAdvancedNetworkingInputs) -> dict[str, Any]:
    outputs = inputs.model_dump(mode="json")
    if inputs.port_forwards is not None:
        outputs["port_forwards"] = [r.model_dump() for r in inputs.port_forwards]
    return outputs


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


def _inputs(
    state: Mapping[str, Any], id_: str, ctx: Context
) -> EnvironmentAdvancedNetworkingInputs:
    """The stored inputs, or (import: the id alone) those the id names."""
    props = {
        k: v for k, v in state.items() if k in EnvironmentAdvancedNetworkingInputs.model_fields
    }
    if not props.get("program_id"):
        program_id, _, environment_id = id_.partition("/")
        if not program_id or not environment_id or "/" in environment_id:
            raise InvalidInputs(f"{ctx.who}: id '{id_}' is not '<program_id>/<environment_id>'")
        props = {
            "resource_name": ctx.resource_name,
            "program_id": program_id,
            "environment_id": environment_id,
        }
    props.setdefault("resource_name", ctx.resource_name)
    try:
        return EnvironmentAdvancedNetworkingInputs.model_validate(props)
    except PydanticValidationError as exc:
        raise InvalidInputs(f"{ctx.who}: the stored inputs are not valid: {exc}") from None


def _port_orig(rule: Any) -> int | None:
    """A rule's port_orig (default filled in); None when the rule is invalid or not yet known."""
    try:
        return PortForwardRule.model_validate(rule).port_orig
    except PydanticValidationError:
        return None


def live_check(
    props: Mapping[str, Any], client: Callable[[], CloudManagerClient]
) -> list[tuple[str, str]]:
    """Non-proxy hosts exist only for dedicatedEgressIp and vpn (behaviour page): refuse them on
    a program whose infrastructure is flexiblePortEgress (one read, only when hosts are given)."""
    if not props.get("non_proxy_hosts") or contains_unknown(props.get("program_id")):
        return []
    program_id = str(props["program_id"])
    kinds = {i.kind for i in client().list_network_infrastructures(program_id) if not is_history(i)}
    if "flexiblePortEgress" not in kinds:
        return []
    return [
        (
            "non_proxy_hosts",
            f"program {program_id} uses flexiblePortEgress, which has no non-proxy hosts (only "
            "dedicatedEgressIp and vpn do); remove non_proxy_hosts",
        )
    ]


ENVIRONMENT_ADVANCED_NETWORKING: Declaration[EnvironmentAdvancedNetworkingInputs] = Declaration(
    name="EnvironmentAdvancedNetworking",
    description=(
        "Enables advanced networking on one environment (waits until it is `ready`); disables it "
        "on delete. With `port_forwards` it owns the whole rule list; without, rules belong to "
        "`PortForward` resources and are preserved."
    ),
    inputs=EnvironmentAdvancedNetworkingInputs,
    outputs=EnvironmentAdvancedNetworkingOutputs,
    operations=EnvironmentAdvancedNetworkingOperations(),
    id_format="{program_id}/{environment_id}",
    identities=identities,
    identity_property="environment_id",
    live_check=live_check,
)
