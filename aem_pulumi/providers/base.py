"""What every aem-pulumi dynamic provider shares.

Credentials come from the stack configuration (`aem:*`, read in `configure()`) or the `AEM_*`
environment variables; they live in this module of the provider process, never on the pickled
provider and never in resource inputs. `check()` comes from a strict input model and `diff()`
from the inputs each provider declares as replace-on-change (pulumi-dynamic.md, STYLE.md).
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Mapping
from typing import Any, ClassVar

from pulumi.dynamic import CheckFailure, CheckResult, ConfigureRequest, DiffResult, ResourceProvider
from pulumi.runtime import rpc
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.client.settings import ENV_NAMES, ClientSettings, config_key

PROVIDER_KEY = "__provider"
UNKNOWN = rpc.UNKNOWN
# Every module holding a provider class; the first `configure()` imports them all (see there).
PROVIDER_MODULES = ("advanced_networking", "network", "port_forward", "variables")

_lock = threading.Lock()
_stack_config: dict[str, str] = {}
_clients: dict[tuple[str, ...], CloudManagerClient] = {}


class ProviderError(Exception):
    """A failure worth a plain message (no traceback needed to understand it)."""


class Inputs(BaseModel):
    """Base of every resource's input model: unknown keys are mistakes, reported at preview."""

    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)

    resource_name: str
    """The Pulumi resource name, set by the resource class so messages can name it."""


def configure_from_stack(config: Mapping[str, Any]) -> None:
    """Remember the `aem:*` settings of the stack (called by `configure()`, once per process)."""
    found = {key: str(config[f"aem:{config_key(key)}"]) for key in ENV_NAMES if _has(config, key)}
    with _lock:
        _stack_config.clear()
        _stack_config.update(found)


def client() -> CloudManagerClient:
    """The shared, thread-safe client for the current settings (stack config, else `AEM_*`)."""
    with _lock:
        explicit: dict[str, str | None] = dict(_stack_config)
    settings = ClientSettings.resolve(explicit)
    key = (
        settings.api_url,
        settings.ims_url,
        settings.client_id,
        settings.client_secret.get_secret_value(),
        settings.org_id,
        settings.scopes,
    )
    with _lock:
        if key not in _clients:
            _clients[key] = CloudManagerClient(settings)
        return _clients[key]


def _has(config: Mapping[str, Any], key: str) -> bool:
    return config.get(f"aem:{config_key(key)}") not in (None, "")


class _ConfigView(Mapping[str, Any]):
    """Adapts the SDK's `Config` (get by full key) to a mapping of the `aem:*` keys."""

    def __init__(self, request: ConfigureRequest) -> None:
        self._values = {
            f"aem:{config_key(k)}": request.config.get(f"aem:{config_key(k)}") for k in ENV_NAMES
        }

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Any:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)


class CloudManagerProvider(ResourceProvider):
    """Check from `inputs_model`, diff from `replace_on_change`; subclasses do the CRUD."""

    inputs_model: ClassVar[type[Inputs]]
    replace_on_change: ClassVar[frozenset[str]] = frozenset()
    delete_before_replace: ClassVar[bool] = False
    # Inputs whose change needs no API call of its own (the next update stores them).
    local_inputs: ClassVar[frozenset[str]] = frozenset({"timeouts", "adopt", "resource_name"})

    def configure(self, req: ConfigureRequest) -> None:
        """Take the `aem:*` credentials from the stack configuration (secrets arrive decrypted).

        It also imports every provider module, so that none is imported later while calls run:
        the SDK unpickles a provider and calls this under its provider lock, before any call of
        the process. Importing a module builds its pydantic models, which parse source code with
        `ast` (attribute docstrings); the SDK formats each failure's traceback, which parses too
        (3.11's carets). On CPython 3.11 the two at once in two threads failed a real-CLI `up`
        with `SystemError: AST constructor recursion depth mismatch` (python/cpython#106905).
        """
        for name in PROVIDER_MODULES:
            importlib.import_module(f"aem_pulumi.providers.{name}")
        configure_from_stack(_ConfigView(req))

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the inputs against the model; every error becomes a failure on its property."""
        props = {k: v for k, v in news.items() if k != PROVIDER_KEY}
        try:
            model = self.inputs_model.model_validate(props)
        except PydanticValidationError as exc:
            failures = [f for f in _failures(exc, props) if f is not None]
            return CheckResult(props, failures)
        if _contains_unknown(props):
            return CheckResult(props, [])
        return CheckResult(self.normalize(model), [])

    def normalize(self, model: Inputs) -> dict[str, Any]:
        """The inputs as stored: defaults filled in (subclasses add computed defaults)."""
        return model.model_dump(mode="json")

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Changed inputs from the model's fields; replace when one is declared replace-on-change."""
        changed = [
            name
            for name in self.inputs_model.model_fields
            if name != "resource_name" and _differs(olds.get(name), news.get(name))
        ]
        replaces = [name for name in changed if name in self.replace_on_change]
        return DiffResult(
            changes=bool(changed),
            replaces=replaces,
            delete_before_replace=bool(replaces) and self.delete_before_replace,
        )


def _differs(old: Any, new: Any) -> bool:
    if new == UNKNOWN or _contains_unknown(new):
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


def _contains_unknown(value: Any) -> bool:
    if isinstance(value, str):
        return value == UNKNOWN
    if isinstance(value, Mapping):
        return any(_contains_unknown(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_contains_unknown(v) for v in value)
    return False


def _failures(exc: PydanticValidationError, props: dict[str, Any]) -> list[CheckFailure | None]:
    """One CheckFailure per error, except those on (or below) a value not known at preview."""
    return [
        None
        if _touches_unknown(props, error["loc"])
        else CheckFailure(_property(error["loc"]), _reason(error))
        for error in exc.errors()
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
    return _contains_unknown(node)


def _property(loc: tuple[int | str, ...]) -> str:
    """`("port_forwards", 1, "port_orig")` -> `port_forwards[1].port_orig`."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _reason(error: Any) -> str:
    """Pydantic's message, without the input value (it may be a secret)."""
    message = str(error["msg"])
    return message.removeprefix("Value error, ")
