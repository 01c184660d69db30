"""Property bags on the wire: protobuf `Struct`s, Pulumi's secret wrappers and camelCase keys.

The plugin answers Configure with `acceptSecrets`, so secrets arrive wrapped in Pulumi's secret
signature and must leave wrapped: the engine no longer re-marks them (pulumi-plugin.md). Each
property the declaration marks SECRET is wrapped field by field (a VPN's shared keys, a secret's
value), and so is any top-level input the program sent as a secret.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from google.protobuf import json_format, struct_pb2
from pydantic import BaseModel

from aem_pulumi.core.inputs import SECRET, has_marker, nested_model
from aem_pulumi.plugin.names import camel_keys, snake_keys, to_snake

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def from_struct(struct: struct_pb2.Struct | None) -> tuple[dict[str, Any], set[str]]:
    """The snake_case properties in `struct`, secrets unwrapped, and the top-level keys that held
    a secret."""
    raw = json_format.MessageToDict(struct) if struct is not None else {}
    secret: set[str] = set()
    props: dict[str, Any] = {}
    for key, value in raw.items():
        plain, was_secret = _unwrap(value)
        props[key] = plain
        if was_secret:
            secret.add(key)
    return snake_keys(props), {to_snake(k) for k in secret}


def to_struct(
    props: Mapping[str, Any],
    models: Iterable[type[BaseModel]] = (),
    secret: Iterable[str] = (),
) -> struct_pb2.Struct:
    """`props` (snake_case) as a camelCase `Struct`, secret where `models` or `secret` say."""
    wrapped = dict(props)
    for model in models:
        wrapped = wrap_secrets(wrapped, model)
    for key in secret:
        if key in wrapped and not _is_secret(wrapped[key]):
            wrapped[key] = secret_value(wrapped[key])
    struct = struct_pb2.Struct()
    struct.update(camel_keys(wrapped))
    return struct


def wrap_secrets(props: dict[str, Any], model: type[BaseModel]) -> dict[str, Any]:
    """`props` with each value of a SECRET field of `model` (at any depth) wrapped as a secret."""
    out = dict(props)
    for name in model.model_fields:
        value = out.get(name)
        if value is None:
            continue
        if has_marker(model, name, SECRET):
            out[name] = secret_value(value)
            continue
        inner = nested_model(model, name)
        if inner is None:
            continue
        if isinstance(value, dict):
            out[name] = wrap_secrets(value, inner)
        elif isinstance(value, list):
            out[name] = [wrap_secrets(v, inner) if isinstance(v, dict) else v for v in value]
    return out


def secret_value(value: Any) -> dict[str, Any]:
    """Pulumi's wire form of a secret."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def plain(value: Any) -> Any:
    """`value` from `json_format.MessageToDict` with every secret unwrapped, at any depth."""
    return _unwrap(value)[0]


def _is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def _unwrap(value: Any) -> tuple[Any, bool]:
    """(the plain value, whether a secret was inside); integral numbers become ints."""
    if _is_secret(value):
        return _unwrap(value.get("value"))[0], True
    if isinstance(value, dict):
        pairs = {k: _unwrap(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_unwrap(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    if isinstance(value, float) and value.is_integer():
        return int(value), False
    return value, False
