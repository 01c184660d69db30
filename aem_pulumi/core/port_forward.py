"""`PortForward`: one port forward rule on an environment, added and removed without disturbing
other rules (every change goes through the environment writer, merged into one PUT)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

from aem_pulumi.core.checking import input_props
from aem_pulumi.core.declaration import Adoption, Context, Created, Declaration, Found
from aem_pulumi.core.environment_advanced_networking import DEFAULTS
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.inputs import REPLACES, UNKNOWN, Inputs, Timeouts
from aem_pulumi.core.ownership import CLAIMS, Identity, describe
from aem_pulumi.core.progress import report
from aem_pulumi.core.writer.networking import (
    NETWORKING,
    PortForwardRule,
    PutRule,
    RemoveRule,
    default_port_orig,
)
from aem_pulumi.core.writer.writer import writer_for


class PortForwardInputs(Inputs, PortForwardRule):
    """Inputs of `PortForward`: the rule (host, port_dest, port_orig) and where it goes."""

    program_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Cloud Manager program id."""
    environment_id: Annotated[str, REPLACES] = Field(min_length=1)
    """Environment id within the program (advanced networking must be enabled on it)."""
    port_orig: Annotated[int | None, REPLACES] = Field(default=None, validate_default=True)
    """Proxy port AEM connects to, 30000-30999; defaults to 30000 + port_dest when that fits."""
    adopt: bool = False
    """Take over a rule that already exists on this port_orig and that this stack did not
    create (its host and port_dest become the inputs')."""
    timeouts: Timeouts = None
    """Deadlines such as `{"create": "45m", "update": "45m", "delete": "45m"}`."""

    @classmethod
    def complete(cls, props: dict[str, Any]) -> dict[str, Any]:
        """port_orig's default (30000 + port_dest), unknown while port_dest is."""
        if props.get("port_orig") is None:
            port_dest = props.get("port_dest")
            if isinstance(port_dest, int | float) and not isinstance(port_dest, bool):
                props["port_orig"] = default_port_orig(int(port_dest))
            else:
                props["port_orig"] = UNKNOWN
        return props

    def rule(self) -> PortForwardRule:
        """The rule these inputs describe."""
        return PortForwardRule(host=self.host, port_dest=self.port_dest, port_orig=self.port_orig)


class PortForwardOutputs(BaseModel):
    """`PortForward` has no outputs beyond its inputs (port_orig holds the default used)."""

    model_config = ConfigDict(use_attribute_docstrings=True)


class PortForwardOperations:
    """CRUD for one rule; every change goes through the environment's merged writer."""

    def create(self, inputs: PortForwardInputs, ctx: Context) -> Created:
        """Add the rule and wait until applied; an existing rule on the port_orig is taken over
        only when it is this stack's or with adopt."""
        props = inputs.model_dump(mode="json")
        ctx.claim(identities(props))
        adopt = ctx.may_take(identities(props)[0], inputs.adopt)
        _writer(ctx, inputs).submit(_put(inputs, ctx, "create", replacing=False, adopt=adopt))
        return Created(_id(inputs), props)

    def update(
        self, id_: str, olds: Mapping[str, Any], news: PortForwardInputs, ctx: Context
    ) -> dict[str, Any]:
        """Change host or port_dest of the rule on the same port_orig."""
        props = news.model_dump(mode="json")
        ctx.claim(identities(props))
        _writer(ctx, news).submit(_put(news, ctx, "update", replacing=True))
        return props

    def delete(self, id_: str, state: Mapping[str, Any], ctx: Context) -> None:
        """Remove the rule, unless another resource holds it or it was changed outside Pulumi
        (then say so and leave it); already gone is fine."""
        where = _where(state, id_, ctx)
        identity = ("port forward", where.program_id, where.environment_id, str(where.port_orig))
        if _kept(ctx, identity, where, state):
            return
        deadline = ctx.deadline("delete", state.get("timeouts"), DEFAULTS)
        change = RemoveRule(ctx.who, deadline, where.environment_id, port_orig=where.port_orig)
        _writer(ctx, where).submit(change)
        CLAIMS.release([identity], ctx.who)

    def read(self, id_: str, state: Mapping[str, Any], ctx: Context) -> Found | None:
        """The rule on this port_orig now; gone when it (or advanced networking) is gone."""
        where = _where(state, id_, ctx)
        rule = _writer(ctx, where).read().rule(where.port_orig)
        if rule is None:
            return None
        outputs = {
            "resource_name": ctx.resource_name,
            **input_props(PortForwardInputs, state),
            **where.as_inputs(),
            "host": rule.host,
            "port_dest": rule.port_dest,
        }
        return Found(id_, outputs, dict(outputs))


@dataclass(frozen=True)
class _Where:
    """Which rule a resource manages: its program, environment and port_orig."""

    program_id: str
    environment_id: str
    port_orig: int

    def as_inputs(self) -> dict[str, Any]:
        return {
            "program_id": self.program_id,
            "environment_id": self.environment_id,
            "port_orig": self.port_orig,
        }


def _where(state: Mapping[str, Any], id_: str, ctx: Context) -> _Where:
    """From the stored inputs, or (import: the id alone) from the id."""
    if state.get("program_id") and state.get("port_orig") is not None:
        return _Where(
            str(state["program_id"]), str(state["environment_id"]), int(state["port_orig"])
        )
    parts = id_.split("/")
    if len(parts) != 3 or not parts[2].isdigit():
        raise InvalidInputs(
            f"{ctx.who}: id '{id_}' is not '<program_id>/<environment_id>/<port_orig>'"
        )
    return _Where(parts[0], parts[1], int(parts[2]))


def identities(props: Mapping[str, Any]) -> list[Identity]:
    """A port forward owns the rule on its port_orig."""
    port_orig = props["port_orig"]
    return [
        ("port forward", str(props["program_id"]), str(props["environment_id"]), str(port_orig))
    ]


def _kept(ctx: Context, identity: Identity, where: _Where, state: Mapping[str, Any]) -> bool:
    """Whether the delete must leave the rule alone (and says why)."""
    holders = ctx.other_holders(identity)
    if holders:
        report(f"{ctx.who}: leaving {describe(identity)} in place: {', '.join(holders)} holds it")
        return True
    live = _writer(ctx, where).read().rule(where.port_orig)
    if live is None or ctx.force_delete or not state.get("host"):
        return False
    if (live.host, live.port_dest) == (state.get("host"), state.get("port_dest")):
        return False
    report(
        f"{ctx.who}: leaving {describe(identity)} in place: it now points to "
        f"{live.host}:{live.port_dest}, changed outside Pulumi (this resource set "
        f"{state.get('host')}:{state.get('port_dest')}); remove it in Cloud Manager, or run the "
        "delete again with AEM_FORCE_DELETE=true"
    )
    return True


def _writer(ctx: Context, where: PortForwardInputs | _Where) -> Any:
    return writer_for(NETWORKING, ctx.client, where.program_id, where.environment_id)


def _put(
    inputs: PortForwardInputs, ctx: Context, op: str, *, replacing: bool, adopt: Adoption = False
) -> PutRule:
    deadline = ctx.deadline(op, inputs.timeouts, DEFAULTS)
    return PutRule(ctx.who, deadline, inputs.environment_id, inputs.rule(), replacing, adopt)


def _id(inputs: PortForwardInputs) -> str:
    return f"{inputs.program_id}/{inputs.environment_id}/{inputs.port_orig}"


PORT_FORWARD: Declaration[PortForwardInputs] = Declaration(
    name="PortForward",
    description=(
        "AEM reaches `host:port_dest` through `AEM_PROXY_HOST:port_orig`; other rules on the "
        "environment are left alone."
    ),
    inputs=PortForwardInputs,
    outputs=PortForwardOutputs,
    operations=PortForwardOperations(),
    id_format="{program_id}/{environment_id}/{port_orig}",
    identities=identities,
    identity_property="port_orig",
)
