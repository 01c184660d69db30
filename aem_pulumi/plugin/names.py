"""Property names: snake_case in the core, camelCase on the wire (`program_id` <-> `programId`).

Every key of a property bag is converted, at any depth: the inputs hold no free-form maps
whose keys could be mangled (`timeouts` keys are the lower-case operation names).
"""

from __future__ import annotations

import re
from typing import Any

_UPPER = re.compile(r"(?<=[a-z0-9])([A-Z])")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def to_camel(name: str) -> str:
    """`port_orig` -> `portOrig` (a name without underscores is left as it is)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def to_snake(name: str) -> str:
    """`portOrig` -> `port_orig`."""
    return _UPPER.sub(lambda m: "_" + m.group(1).lower(), name)


def camel_keys(value: Any) -> Any:
    """`value` with every mapping key camelCased, at any depth."""
    return _convert(value, to_camel)


def snake_keys(value: Any) -> Any:
    """`value` with every mapping key snake_cased, at any depth."""
    return _convert(value, to_snake)


def camel_path(path: str) -> str:
    """A property path as the wire names it: `port_forwards[1].port_orig` -> `portForwards[1].portOrig`."""
    return _IDENTIFIER.sub(lambda m: to_camel(m.group(0)), path)


def _convert(value: Any, rename: Any) -> Any:
    if isinstance(value, dict):
        return {rename(k): _convert(v, rename) for k, v in value.items()}
    if isinstance(value, list):
        return [_convert(v, rename) for v in value]
    return value
