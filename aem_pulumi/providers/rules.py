"""Port forward rules as users write them, with the checks Cloud Manager applies (and stricter ones)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator

from aem_pulumi.models.advanced_networking import HOST_PATTERN, PortForward

# Adobe's guides allow 30000-30999 (the spec says 31000): the providers accept the stricter range.
PORT_ORIG_MIN, PORT_ORIG_MAX = 30000, 30999
HTTP_PORTS = (80, 443)
_NON_PROXY_HOST = re.compile(
    r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)


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
    def from_api(cls, rule: PortForward) -> PortForwardRule:
        """A rule as the API lists it (no validation: foreign rules may break our stricter checks)."""
        return cls.model_construct(
            host=rule.name or "", port_dest=rule.port_dest, port_orig=rule.port_orig
        )

    def describe(self) -> str:
        """`smtp.example.com:465 via 30465`."""
        return f"{self.host}:{self.port_dest} via {self.port_orig}"


def duplicate_port_origs(port_origs: Sequence[int | None]) -> list[tuple[int, str]]:
    """(index, reason) for each port_orig an earlier rule already uses (None: not judged)."""
    seen: dict[int, int] = {}
    duplicates: list[tuple[int, str]] = []
    for index, port_orig in enumerate(port_origs):
        if port_orig is None:
            continue
        if port_orig in seen:
            reason = f"port_orig {port_orig} is already used by port_forwards[{seen[port_orig]}]"
            duplicates.append((index, reason))
        seen.setdefault(port_orig, index)
    return duplicates


def check_non_proxy_host(host: str) -> str:
    """A host name, optionally with a leading wildcard (`*.example.com`)."""
    if not _NON_PROXY_HOST.match(host):
        raise ValueError(
            f"'{host}' is not a lower-case host name; a wildcard may only lead (*.example.com)"
        )
    return host


def rules_as_dicts(rules: list[PortForwardRule] | None) -> list[dict[str, Any]] | None:
    """The JSON form stored in state."""
    return None if rules is None else [r.model_dump() for r in rules]
