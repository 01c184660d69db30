"""`MailService` served whole through Construct, so a program in any language gets the component.

The engine sends Construct when a program registers `aem:index:MailService` as a remote
component. The plugin then runs the same component code as the Python front end
(`aem_pulumi.native.MailService`) against the engine's resource monitor: the children it
registers are the plugin's own resources, and the component's outputs go back as its state.

That part of the Pulumi SDK (`pulumi.provider.server.ProviderServicer`) is asyncio and keeps the
program's settings in globals, so every Construct of this process runs on one event loop in one
thread, interleaved as in the SDK's own server; the gRPC thread that received it waits for it.
The schema entry is derived from the component's signature and output annotations.
"""

from __future__ import annotations

import asyncio
import inspect
import re
import threading
from collections.abc import Mapping
from typing import Any

import grpc
import pulumi
import pulumi.provider
from pulumi.provider.server import ProviderServicer
from pulumi.runtime.proto import provider_pb2

from aem_pulumi.components import mail
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.native.mail import MailService
from aem_pulumi.plugin.names import to_camel, to_snake

TOKEN = "aem:index:MailService"
_NOT_INPUTS = frozenset({"self", "resource_name", "opts"})
_SCHEMA_TYPES = {"int": "integer", "bool": "boolean", "str": "string"}
_OUTPUT = re.compile(r"^pulumi\.Output\[(\w+)\]$")


class _Components(pulumi.provider.Provider):
    """The SDK's provider interface, serving only `construct`."""

    def __init__(self, version: str) -> None:
        super().__init__(version)

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: Mapping[str, pulumi.Input[Any]],
        options: pulumi.ResourceOptions | None = None,
    ) -> pulumi.provider.ConstructResult:
        if resource_type != TOKEN:
            raise InvalidInputs(f"aem provider: unknown component type '{resource_type}'")
        args = _arguments(name, inputs)
        try:
            component = MailService(name, **args, opts=options)
        except ValueError as exc:  # the component's own checks (run_mode, port_orig)
            raise InvalidInputs(str(exc)) from None
        state = {to_camel(k): getattr(component, k) for k in output_names()}
        return pulumi.provider.ConstructResult(urn=component.urn, state=state)


def _arguments(name: str, inputs: Mapping[str, Any]) -> dict[str, Any]:
    """The wire inputs (camelCase) as MailService's keyword arguments; a plain argument that is
    an output, or an unknown argument, is refused naming it."""
    known = input_names()
    args = {}
    for key, value in inputs.items():
        arg = to_snake(key)
        if arg not in known:
            raise InvalidInputs(
                f"MailService '{name}': '{key}' is not an input; use one of "
                f"{', '.join(sorted(to_camel(k) for k in known))}"
            )
        if arg in plain_names() and isinstance(value, pulumi.Output):
            raise InvalidInputs(
                f"MailService '{name}': '{key}' must be a value known at preview, not an output "
                "of another resource or a secret"
            )
        args[arg] = value
    return args


def input_names() -> dict[str, inspect.Parameter]:
    """MailService's keyword arguments (its inputs), by name."""
    parameters = inspect.signature(MailService.__init__).parameters
    return {k: p for k, p in parameters.items() if k not in _NOT_INPUTS}


def plain_names() -> set[str]:
    """Arguments the component reads in Python (ports, flags, names: not `pulumi.Input`s), so
    they must be values known at preview, not outputs of other resources."""
    return {k for k, p in input_names().items() if not str(p.annotation).startswith("pulumi.Input")}


def output_names() -> list[str]:
    """MailService's outputs: its `pulumi.Output[...]` attributes."""
    return [k for k, v in _annotations().items() if _OUTPUT.match(v)]


def component_schema() -> dict[str, Any]:
    """The schema's `aem:index:MailService` resource (a component)."""
    inputs: dict[str, dict[str, Any]] = {
        to_camel(k): {"type": _schema_type(str(p.annotation))} for k, p in input_names().items()
    }
    inputs[to_camel("password")]["secret"] = True
    outputs = {
        to_camel(k): {"type": _SCHEMA_TYPES[_match(v).group(1)]}
        for k, v in _annotations().items()
        if _OUTPUT.match(v)
    }
    return {
        "isComponent": True,
        "description": (mail.MailService.__doc__ or "").strip(),
        "inputProperties": inputs,
        "requiredInputs": sorted(
            to_camel(k) for k, p in input_names().items() if p.default is inspect.Parameter.empty
        ),
        "properties": outputs,
        "requiredOutputs": sorted(outputs),
    }


def _annotations() -> dict[str, str]:
    found: dict[str, str] = {}
    for cls in reversed(MailService.__mro__):
        found.update({k: str(v) for k, v in getattr(cls, "__annotations__", {}).items()})
    return found


def _match(annotation: str) -> re.Match[str]:
    match = _OUTPUT.match(annotation)
    assert match is not None
    return match


def _schema_type(annotation: str) -> str:
    """`int | None` -> integer, `pulumi.Input[str]` -> string."""
    base = annotation.removeprefix("pulumi.Input[").split("]")[0].split("|")[0].strip()
    return _SCHEMA_TYPES.get(base, "string")


class Constructor:
    """Runs the Constructs of one plugin process on one event loop (started on first use)."""

    def __init__(self, engine_address: str | None, version: str) -> None:
        self._servicer = ProviderServicer(_Components(version), [], engine_address or "")
        self._loop: asyncio.AbstractEventLoop | None = None
        self._lock = threading.Lock()

    def construct(self, request: Any, context: grpc.ServicerContext) -> Any:
        """The ConstructResponse of `request`, once the component and its children are
        registered (and, at `up`, created)."""
        future = asyncio.run_coroutine_threadsafe(
            self._servicer._construct(request, context), self._event_loop()
        )
        response: provider_pb2.ConstructResponse = future.result()
        return response

    def _event_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                thread = threading.Thread(target=self._loop.run_forever, daemon=True)
                thread.name = "aem-construct"
                thread.start()
            return self._loop
