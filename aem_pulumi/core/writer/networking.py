"""The advanced networking concern: an environment's configuration as one value, and its changes.

Cloud Manager's PUT replaces an environment's whole configuration (behaviour page), so every
change (several `PortForward`s, an `EnvironmentAdvancedNetworking`) is applied to the state read
just before the write, and the lot goes out in one PUT.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from aem_pulumi.client import CloudManagerClient, NotFoundError
from aem_pulumi.core.advanced_networking import is_history
from aem_pulumi.core.declaration import Adoption
from aem_pulumi.core.errors import InvalidInputs, OwnershipError, ProviderError
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.writer.writer import Request
from aem_pulumi.models.environment_advanced_networking import (
    HOST_PATTERN,
    AdvancedNetworkingUpdate,
    PortForward,
    PortForwardRepresentation,
)

# Adobe's guides allow 30000-30999 (the spec says 31000): the providers accept the stricter range.
PORT_ORIG_MIN, PORT_ORIG_MAX = 30000, 30999
HTTP_PORTS = (80, 443)


def default_port_orig(port_dest: int) -> int | None:
    """The convention `30000 + port_dest` (465 -> 30465), when that lies in 30000-30999."""
    candidate = PORT_ORIG_MIN + port_dest
    return candidate if candidate <= PORT_ORIG_MAX else None


class PortForwardRule(BaseModel):
    """One port forward: AEM reaches `host:port_dest` through `AEM_PROXY_HOST:port_orig`."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    host: str
    """Destination host: a lower-case host name or IPv4 address."""
    port_dest: int = Field(ge=1, le=65535)
    """Destination port (not 80 or 443: HTTP(S) goes through the proxy, not a port forward)."""
    port_orig: int | None = Field(default=None, validate_default=True)
    """Proxy port AEM connects to, 30000-30999; defaults to 30000 + port_dest when that fits."""

    @field_validator("host")
    @classmethod
    def _host(cls, value: str) -> str:
        if not re.match(HOST_PATTERN, value):
            raise ValueError(f"'{value}' is not a lower-case host name or IPv4 address")
        return value

    @field_validator("port_dest")
    @classmethod
    def _not_http(cls, value: int) -> int:
        if value in HTTP_PORTS:
            raise ValueError(
                f"port {value} is HTTP(S): it goes through the proxy (AEM_PROXY_HOST with "
                "AEM_HTTP(S)_PROXY_PORT) and must not be forwarded"
            )
        return value

    @field_validator("port_orig")
    @classmethod
    def _default_port_orig(cls, value: int | None, info: ValidationInfo) -> int | None:
        port_dest = info.data.get("port_dest")
        if value is not None:
            if not PORT_ORIG_MIN <= value <= PORT_ORIG_MAX:
                raise ValueError(
                    f"port_orig {value} is outside {PORT_ORIG_MIN}-{PORT_ORIG_MAX} "
                    "(the range Adobe documents for port forwards)"
                )
            return value
        if port_dest is None:  # port_dest errors are reported on port_dest
            return value
        value = default_port_orig(port_dest)
        if value is None:
            raise ValueError(
                f"port_orig is required: 30000 + port_dest ({PORT_ORIG_MIN + port_dest}) "
                f"lies outside {PORT_ORIG_MIN}-{PORT_ORIG_MAX}"
            )
        return value

    def to_api(self) -> PortForward:
        """The wire form (`name`, `portDest`, `portOrig`)."""
        assert self.port_orig is not None
        return PortForward(name=self.host, port_dest=self.port_dest, port_orig=self.port_orig)

    @classmethod
    def from_api(cls, rule: PortForwardRepresentation) -> PortForwardRule:
        """A rule as the API lists it (no validation: foreign rules may break our stricter checks)."""
        return cls.model_construct(
            host=rule.name or "", port_dest=rule.port_dest, port_orig=rule.port_orig
        )

    def describe(self) -> str:
        """`smtp.example.com:465 via 30465`."""
        return f"{self.host}:{self.port_dest} via {self.port_orig}"

    def same_as(self, other: PortForwardRule) -> bool:
        """Equal as Cloud Manager sees it."""
        return _rule_set([self]) == _rule_set([other])


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


@dataclass(frozen=True)
class NetworkingChange:
    """One resource's change to an environment's configuration, applied in arrival order."""

    who: str
    deadline: Deadline
    environment_id: str
    removes: ClassVar[bool] = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        """The state after this change; ProviderError when it cannot apply."""
        raise NotImplementedError


@dataclass(frozen=True)
class Enable(NetworkingChange):
    """Enable (or change) with these hosts; `rules` None keeps the existing rules."""

    non_proxy_hosts: tuple[str, ...] = ()
    rules: tuple[PortForwardRule, ...] | None = None
    creating: bool = False
    adopt: Adoption = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        wanted = NetworkingState(
            True, self.non_proxy_hosts, state.rules if self.rules is None else self.rules
        )
        if self.creating and state.enabled and not (self.adopt and wanted.same_as(state)):
            raise OwnershipError(_already_enabled(self, state, wanted))
        return wanted


@dataclass(frozen=True)
class Disable(NetworkingChange):
    """Disable advanced networking (nothing to do when it already is)."""

    removes: ClassVar[bool] = True

    def apply(self, state: NetworkingState) -> NetworkingState:
        return NetworkingState(False)


@dataclass(frozen=True)
class PutRule(NetworkingChange):
    """Add a rule, or (`replacing`) change the host/port of the rule on the same port_orig."""

    rule: PortForwardRule
    replacing: bool = False
    adopt: Adoption = False

    def apply(self, state: NetworkingState) -> NetworkingState:
        if not state.enabled:
            raise InvalidInputs(
                f"{self.who}: advanced networking is not enabled on environment "
                f"{self.environment_id}; create an EnvironmentAdvancedNetworking for it first "
                "and make this resource depend on it"
            )
        assert self.rule.port_orig is not None
        existing = state.rule(self.rule.port_orig)
        if existing is not None and not (self.replacing or self.adopt):
            raise OwnershipError(
                f"{self.who}: port forward {self.rule.port_orig} of environment "
                f"{self.environment_id} already exists ({existing.describe()}) and this stack "
                "did not create it; set adopt=True to take it over (its host and port_dest "
                "become the inputs'), or choose another port_orig"
            )
        others = tuple(r for r in state.rules if r.port_orig != self.rule.port_orig)
        return replace(state, rules=(*others, self.rule))


@dataclass(frozen=True)
class RemoveRule(NetworkingChange):
    """Remove the rule on `port_orig` (nothing to do when it is gone)."""

    port_orig: int = 0
    removes: ClassVar[bool] = True

    def apply(self, state: NetworkingState) -> NetworkingState:
        rules = tuple(r for r in state.rules if r.port_orig != self.port_orig)
        return replace(state, rules=rules)


def _already_enabled(change: Enable, state: NetworkingState, wanted: NetworkingState) -> str:
    where = f"environment {change.environment_id}"
    if not change.adopt:
        return (
            f"{change.who}: advanced networking is already enabled on {where}, and this stack "
            "did not enable it; set adopt=True to take over the existing configuration"
        )
    return (
        f"{change.who}: cannot adopt the advanced networking enabled on {where}, it "
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
    differences += [f"port forward {r.describe()} is missing" for r in _absent(wanted, found)]
    differences += [
        f"port forward {r.describe()} is not in the inputs" for r in _absent(found, wanted)
    ]
    return differences


def _absent(state: NetworkingState, other: NetworkingState) -> list[PortForwardRule]:
    """The rules of `state` that `other` does not hold."""
    present = _rule_set(other.rules)
    return [r for r in state.rules if not _rule_set([r]) <= present]


def _hosts(state: NetworkingState) -> str:
    return ", ".join(sorted(state.non_proxy_hosts))


class _Networking:
    """The advanced networking concern of the environment writer."""

    name = "advanced networking"

    def precheck(
        self, client: CloudManagerClient, program_id: str, change: NetworkingChange
    ) -> None:
        if isinstance(change, Enable):
            require_ready_infrastructure(client, program_id, change.who)

    def read(
        self, client: CloudManagerClient, program_id: str, environment_id: str
    ) -> NetworkingState:
        try:  # behaviour page: a 404 means "never enabled", like an empty list
            configs = client.get_advanced_networking(program_id, environment_id)
        except NotFoundError:
            return NetworkingState(False)
        enabled = [c for c in configs if c.advanced_networking_enabled]
        if not enabled:
            return NetworkingState(False)
        config = enabled[0]  # all regions share one configuration
        rules = tuple(PortForwardRule.from_api(r) for r in config.port_forwards)
        return NetworkingState(True, tuple(config.non_proxy_hosts), rules)

    def apply(self, change: NetworkingChange, state: NetworkingState) -> NetworkingState:
        return change.apply(state)

    def request(
        self,
        client: CloudManagerClient,
        program_id: str,
        environment_id: str,
        before: NetworkingState,
        after: NetworkingState,
    ) -> Request | None:
        if after.same_as(before):
            return None
        if not after.enabled:
            return lambda: client.delete_advanced_networking(program_id, environment_id)
        body = AdvancedNetworkingUpdate(
            non_proxy_hosts=list(after.non_proxy_hosts),
            port_forwards=[r.to_api() for r in after.rules],
        )
        return lambda: client.put_advanced_networking(program_id, environment_id, body)

    def outcome(
        self, change: NetworkingChange, wanted: NetworkingState, found: NetworkingState
    ) -> ProviderError | None:
        if found.same_as(wanted):
            return None
        return ProviderError(
            f"{change.who}: environment {change.environment_id} is ready again but its advanced "
            "networking is not what was written (the update was rolled back); retry `pulumi up`"
        )


NETWORKING = _Networking()


def require_ready_infrastructure(client: CloudManagerClient, program_id: str, who: str) -> None:
    """Cloud Manager refuses to enable advanced networking before the program's infrastructure."""
    found = [i for i in client.list_network_infrastructures(program_id) if not is_history(i)]
    if any(i.status == "ready" for i in found):
        return
    statuses = ", ".join(f"{i.region} '{i.status}'" for i in found) or "none"
    raise InvalidInputs(
        f"{who}: program {program_id} has no ready network infrastructure (found: {statuses}); "
        "create an AdvancedNetworking resource for the program first and make this resource "
        "depend on it"
    )
