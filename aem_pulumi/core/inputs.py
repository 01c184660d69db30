"""What every resource's input model shares, and the per-field markers the front ends read.

A field is declared replace-on-change with `Annotated[..., REPLACES]` and secret with
`Annotated[..., SECRET]`, at any depth; `check`, `diff`, the dynamic resources' secret outputs
and the plugin's schema are all derived from these markers (STYLE.md: Terraform's
`RequiresReplace`, pulumi-go-provider's `infer`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Final

from pydantic import AfterValidator, BaseModel, ConfigDict

from aem_pulumi.core.timeouts import check_timeouts

# The value Pulumi sends for an input not known yet (at preview); the same string on both wires.
UNKNOWN: Final = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


REPLACES: Final = _Marker("REPLACES")
"""Changing this input replaces the remote object."""
SECRET: Final = _Marker("SECRET")
"""This input (and the output of the same name) is secret everywhere."""


class Inputs(BaseModel):
    """Base of every resource's input model: unknown keys are mistakes, reported at preview."""

    model_config = ConfigDict(
        extra="forbid", use_attribute_docstrings=True, hide_input_in_errors=True
    )

    resource_name: str
    """The Pulumi resource name, given by the front end so messages can name the resource."""

    @classmethod
    def item_failures(cls, props: Mapping[str, Any]) -> list[tuple[str, str]]:
        """(property, reason) for rules across list items, which a field validator cannot place
        on the item's own property; none by default."""
        return []

    @classmethod
    def complete(cls, props: dict[str, Any]) -> dict[str, Any]:
        """Defaults computed from other inputs, filled in while some input is unknown (preview).

        A computed default left out would look like a change at preview (`30465 -> none`) that
        `up` never makes; a default that depends on an unknown input is itself unknown.
        """
        return props


def _valid_timeouts(value: dict[str, str] | None) -> dict[str, str] | None:
    check_timeouts(value)
    return value


Timeouts = Annotated[dict[str, str] | None, AfterValidator(_valid_timeouts)]
"""The type of the `timeouts` input every resource has: known operations, valid durations."""


def contains_unknown(value: Any) -> bool:
    """True when `value` is, or holds, an unknown."""
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(contains_unknown(v) for v in value)
    return False


def has_marker(model: type[BaseModel], name: str, marker: _Marker) -> bool:
    """Whether field `name` of `model` carries `marker`."""
    field = model.model_fields.get(name)
    return field is not None and marker in field.metadata


def nested_model(model: type[BaseModel], name: str) -> type[BaseModel] | None:
    """The model type a field holds (itself, optional, or in a list), if it holds one."""
    field = model.model_fields.get(name)
    return None if field is None else _model_in(field.annotation)


def _model_in(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def secret_fields(model: type[BaseModel]) -> frozenset[str]:
    """Top-level fields that are secret or hold a secret somewhere inside."""
    return frozenset(name for name in model.model_fields if _holds_secret(model, name, set()))


def _holds_secret(model: type[BaseModel], name: str, seen: set[type[BaseModel]]) -> bool:
    if has_marker(model, name, SECRET):
        return True
    inner = nested_model(model, name)
    if inner is None or inner in seen:
        return False
    seen.add(inner)
    return any(_holds_secret(inner, child, seen) for child in inner.model_fields)
