"""`check` and `diff` of any declared resource, over plain property dicts (engine-neutral).

Check validates the inputs against the declaration's strict model, so mistakes show at
`pulumi preview` on the property that holds them; diff compares inputs field by field and
replaces when a changed field carries the REPLACES marker (at any depth).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient, CloudManagerError
from aem_pulumi.core.errors import OwnershipError
from aem_pulumi.core.inputs import REPLACES, UNKNOWN, contains_unknown, has_marker, nested_model
from aem_pulumi.core.ownership import CLAIMS, Identity

if TYPE_CHECKING:
    from aem_pulumi.core.declaration import Declaration


@dataclass(frozen=True)
class Failure:
    """One bad input: the property path (`port_forwards[1].port_orig`) and why."""

    property: str
    reason: str


@dataclass(frozen=True)
class Checked:
    """The inputs as stored (defaults filled in) and what is wrong with them."""

    inputs: dict[str, Any]
    failures: list[Failure]


@dataclass(frozen=True)
class Diff:
    """What changed: top-level inputs, those that replace, and each changed path with whether it
    replaces (the plugin's detailed diff)."""

    changes: list[str] = field(default_factory=list)
    replaces: list[str] = field(default_factory=list)
    detailed: dict[str, bool] = field(default_factory=dict)
    delete_before_replace: bool = False


def input_props(model: type[BaseModel], props: Mapping[str, Any]) -> dict[str, Any]:
    """The input keys of a property bag (outputs and front-end keys such as `__provider` left out)."""
    return {k: v for k, v in props.items() if k in model.model_fields}


def check(declaration: Declaration[Any], news: Mapping[str, Any]) -> Checked:
    """Validate `news`; each error becomes a failure on its property (errors on unknowns skipped)."""
    model = declaration.inputs
    props = {k: v for k, v in news.items() if not k.startswith("__")}
    failures = [Failure(p, r) for p, r in model.item_failures(props)]
    try:
        validated = model.model_validate(props)
    except PydanticValidationError as exc:
        failures = [*_failures(exc, props), *failures]
        return Checked(_with_defaults(model, props), failures)
    if contains_unknown(props):
        return Checked(_with_defaults(model, props), failures)
    return Checked(validated.model_dump(mode="json"), failures)


def check_all(
    declaration: Declaration[Any],
    news: Mapping[str, Any],
    who: str,
    client: Callable[[], CloudManagerClient] | None = None,
) -> Checked:
    """What a front end's `check` answers: the model's failures, else a second claim, else what
    only Cloud Manager can tell (read-only calls, skipped without credentials or on errors)."""
    checked = check(declaration, news)
    failures = checked.failures or claim_failures(declaration, checked.inputs, who)
    if not failures and client is not None and declaration.live_check is not None:
        failures = _live_failures(declaration, checked.inputs, client)
    return Checked(checked.inputs, failures)


def _live_failures(
    declaration: Declaration[Any],
    inputs: Mapping[str, Any],
    client: Callable[[], CloudManagerClient],
) -> list[Failure]:
    assert declaration.live_check is not None
    try:
        found = declaration.live_check(inputs, client)
    except (CloudManagerError, KeyError, TypeError, ValueError):
        return []  # cannot judge now; the API itself refuses at `up`
    return [Failure(p, r) for p, r in found]


def claim_failures(
    declaration: Declaration[Any], inputs: Mapping[str, Any], who: str
) -> list[Failure]:
    """Record the objects these inputs declare for `who`; a failure when another resource of
    the deployment declares one of them too (issue 10). Unknown identities are judged at `up`."""
    if contains_unknown(inputs):
        known = {k: v for k, v in inputs.items() if not contains_unknown(v)}
        identities = _safe_identities(declaration, known)
    else:
        identities = _safe_identities(declaration, inputs)
    try:
        CLAIMS.claim(identities, who)
    except OwnershipError as exc:
        return [Failure(declaration.identity_property, str(exc))]
    return []


def _safe_identities(declaration: Declaration[Any], props: Mapping[str, Any]) -> list[Identity]:
    try:
        return declaration.identities(props)
    except (KeyError, TypeError, ValueError):  # an input it needs is not known yet
        return []


def _with_defaults(model: type[BaseModel], props: dict[str, Any]) -> dict[str, Any]:
    """Props with each missing field's static default, then the model's computed defaults."""
    filled = dict(props)
    for name, info in model.model_fields.items():
        if name not in filled and not info.is_required() and info.default_factory is None:
            filled[name] = info.default
    complete = getattr(model, "complete", None)
    return complete(filled) if complete is not None else filled


def _failures(exc: PydanticValidationError, props: dict[str, Any]) -> list[Failure]:
    """One failure per error, except those on (or below) a value not known at preview."""
    return [
        Failure(_property(error["loc"]), _reason(error))
        for error in exc.errors()
        if not _touches_unknown(props, error["loc"])
    ]


def _touches_unknown(props: Any, loc: tuple[int | str, ...]) -> bool:
    """True when the error's location is, or lies inside, a value unknown during preview."""
    node = props
    for part in loc:
        if node == UNKNOWN:
            return True
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            return False
    return contains_unknown(node)


def _property(loc: tuple[int | str, ...]) -> str:
    """`("port_forwards", 1, "port_orig")` -> `port_forwards[1].port_orig`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _reason(error: Any) -> str:
    """Pydantic's message, without the input value (it may be a secret)."""
    return str(error["msg"]).removeprefix("Value error, ")


def diff(declaration: Declaration[Any], olds: Mapping[str, Any], news: Mapping[str, Any]) -> Diff:
    """Changed inputs, by the declaration's model and REPLACES markers (and its drift rule)."""
    model = declaration.inputs
    detailed: dict[str, bool] = {}
    for name in model.model_fields:
        if name != "resource_name":
            _compare(model, name, olds.get(name), news.get(name), name, False, detailed)
    drift = declaration.replace_on_drift(olds)
    for name in drift:
        detailed[name] = True
    changes = sorted({_top(path) for path in detailed})
    replaces = sorted({_top(path) for path, replaces in detailed.items() if replaces})
    # A drift replacement means the old object blocks the new one: delete it first.
    before = bool(replaces) and (declaration.delete_before_replace or bool(drift))
    return Diff(changes, replaces, detailed, before)


def _compare(
    model: type[BaseModel],
    name: str,
    old: Any,
    new: Any,
    path: str,
    replaces: bool,
    out: dict[str, bool],
) -> None:
    """Record in `out` each changed path below `path` (field `name` of `model`)."""
    replaces = replaces or has_marker(model, name, REPLACES)
    if not _differs(old, new):
        return
    inner = nested_model(model, name)
    if inner is not None and isinstance(old, Mapping) and isinstance(new, Mapping):
        before = len(out)
        for child in inner.model_fields:
            _compare(inner, child, old.get(child), new.get(child), f"{path}.{child}", replaces, out)
        if len(out) > before:
            return
    if inner is not None and _same_length_lists(old, new):
        for i, (o, n) in enumerate(zip(old, new, strict=True)):
            _compare_items(inner, o, n, f"{path}[{i}]", replaces, out)
        return
    out[path] = replaces


def _compare_items(
    model: type[BaseModel], old: Any, new: Any, path: str, replaces: bool, out: dict[str, bool]
) -> None:
    if not (isinstance(old, Mapping) and isinstance(new, Mapping)):
        if _differs(old, new):
            out[path] = replaces
        return
    for child in model.model_fields:
        _compare(model, child, old.get(child), new.get(child), f"{path}.{child}", replaces, out)


def _same_length_lists(old: Any, new: Any) -> bool:
    return isinstance(old, list | tuple) and isinstance(new, list | tuple) and len(old) == len(new)


def _top(path: str) -> str:
    return path.split(".")[0].split("[")[0]


def _differs(old: Any, new: Any) -> bool:
    if contains_unknown(new):
        return True
    return bool(_canonical(old) != _canonical(new))


def _canonical(value: Any) -> Any:
    """Comparable form: numbers as floats, dicts without None values (an empty list stays a list:
    `port_forwards=[]` means "own the list, empty", unlike None)."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return {k: _canonical(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    return value
