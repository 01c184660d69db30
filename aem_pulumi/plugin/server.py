"""The gRPC resource-provider servicer of `pulumi-resource-aem`, on the SDK's generated stubs.

Written on `provider_pb2_grpc` rather than `pulumi.provider.experimental` (pulumi-plugin.md: its
DiffConfig builds a wrong enum, its Diff always claims a detailed diff, its default configure
claims preview support, and it is `grpc.aio`, so blocking calls would need a pool anyway). Each
call runs in a thread of the server's pool, which has no small cap: the environment writer merges
whatever arrives together, so N rules sent at `--parallel N` must reach the core at once.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import traceback
import typing
from collections.abc import Callable, Mapping
from concurrent import futures
from importlib.metadata import version as package_version
from typing import Any, TypeVar

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.proto import (
    engine_pb2,
    engine_pb2_grpc,
    plugin_pb2,
    provider_pb2,
    provider_pb2_grpc,
)
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient, ConfigurationError
from aem_pulumi.client.errors import CloudManagerError
from aem_pulumi.core import checking
from aem_pulumi.core.credentials import Credentials
from aem_pulumi.core.declaration import Context, Declaration
from aem_pulumi.core.errors import InvalidInputs, ProviderError
from aem_pulumi.core.inputs import SECRET, Inputs, has_marker, nested_model
from aem_pulumi.core.ownership import ADOPT_ENV, FORCE_DELETE_ENV, NoLedger, requested
from aem_pulumi.core.progress import reporting_to
from aem_pulumi.core.registry import by_token
from aem_pulumi.plugin import config, lookups, mail
from aem_pulumi.plugin.ledger import ledger_for
from aem_pulumi.plugin.names import camel_path
from aem_pulumi.plugin.schema import schema
from aem_pulumi.plugin.wire import from_struct, plain, secret_value, to_struct

MAX_WORKERS = 1024
"""Threads the server may use (made on demand): above any `--parallel` a user would pick."""
# pulumi/runtime/_grpc_settings.py: 400 MB messages; keep a slow call's stream alive (#20920).
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.server_max_unrequested_time_in_server", 30 * 60),
]
USER_ERRORS = (ProviderError, CloudManagerError)
"""Failures whose message is the whole story: no traceback for the user."""

_log = logging.getLogger("aem_pulumi.plugin")
Request = TypeVar("Request")
Response = TypeVar("Response")


def _one_paragraph(text: str) -> str:
    return " ".join(text.split())


def _rpc(
    method: Callable[[AemProvider, Request, grpc.ServicerContext], Response],
) -> Callable[[AemProvider, Request, grpc.ServicerContext], Response]:
    """Turn a failure into a gRPC error with a one-paragraph message; the traceback goes to the
    debug log only."""

    @functools.wraps(method)
    def wrapper(self: AemProvider, request: Request, context: grpc.ServicerContext) -> Response:
        try:
            return method(self, request, context)
        except USER_ERRORS as exc:
            self.debug(traceback.format_exc(), getattr(request, "urn", ""))
            context.abort(grpc.StatusCode.UNKNOWN, _one_paragraph(str(exc)))
        except Exception as exc:
            self.debug(traceback.format_exc(), getattr(request, "urn", ""))
            message = (
                f"aem provider: unexpected {type(exc).__name__} in {method.__name__}: {exc} "
                "(the traceback is in the provider's debug log: `pulumi up --debug`)"
            )
            context.abort(grpc.StatusCode.INTERNAL, _one_paragraph(message))
        raise AssertionError("unreachable: context.abort raises")

    return wrapper


def resource_name(urn: str, name: str = "") -> str:
    """The resource's name: the request's `name`, else the URN's last part."""
    return name or urn.rpartition("::")[2]


def parent_types(urn: str) -> tuple[str, ...]:
    """The type names of the components a resource sits in, innermost first (`MailService`),
    from its URN's qualified type."""
    parts = urn.split("::")
    ancestors = parts[-2].split("$")[:-1] if len(parts) >= 4 else []
    return tuple(t.rpartition(":")[2] for t in reversed(ancestors) if t != "pulumi:pulumi:Stack")


def stack_name(urn: str) -> str:
    """The stack of a URN (`urn:pulumi:<stack>::<project>::...`)."""
    return urn.removeprefix("urn:pulumi:").partition("::")[0] if urn.startswith("urn:") else ""


def resource_type(urn: str, type_: str = "") -> str:
    """The resource's type token: the request's `type`, else the URN's (after any parent type)."""
    if type_:
        return type_
    parts = urn.split("::")
    return parts[-2].rpartition("$")[2] if len(parts) >= 2 else ""


class AemProvider(provider_pb2_grpc.ResourceProviderServicer):
    """One provider instance: its credentials, its declarations, its engine connection."""

    def __init__(self, engine_address: str | None = None, version: str | None = None) -> None:
        self.version = version or package_version("aem-pulumi")
        self.credentials = Credentials()
        self.declarations = by_token()
        self._engine = _engine_stub(engine_address)
        self._components = mail.Constructor(engine_address, self.version)

    # --- logging -----------------------------------------------------------------------------

    def log(self, message: str, urn: str = "", severity: Any = engine_pb2.INFO) -> None:
        """A diagnostic through the engine (the log alone when there is no engine)."""
        _log.log(logging.DEBUG if severity == engine_pb2.DEBUG else logging.INFO, message)
        if self._engine is None:
            return
        try:
            self._engine.Log(engine_pb2.LogRequest(severity=severity, message=message, urn=urn))
        except grpc.RpcError:
            _log.debug("the engine refused a log line", exc_info=True)

    def debug(self, message: str, urn: str = "") -> None:
        """A debug line (`pulumi up --debug` shows it)."""
        self.log(message, urn, engine_pb2.DEBUG)

    # --- plugin and schema -------------------------------------------------------------------

    def GetPluginInfo(self, request: Any, context: grpc.ServicerContext) -> Any:
        return plugin_pb2.PluginInfo(version=self.version)

    @_rpc
    def GetSchema(self, request: Any, context: grpc.ServicerContext) -> Any:
        components = {mail.TOKEN: mail.component_schema()}
        text = json.dumps(schema(self.version, lookups.schema_functions(), components), indent=2)
        return provider_pb2.GetSchemaResponse(schema=text)

    def Cancel(self, request: Any, context: grpc.ServicerContext) -> Any:
        return empty_pb2.Empty()

    # --- provider configuration --------------------------------------------------------------

    @_rpc
    def CheckConfig(self, request: Any, context: grpc.ServicerContext) -> Any:
        news = plain(json_format.MessageToDict(request.news))
        failures = [
            provider_pb2.CheckFailure(property=f.key, reason=f.reason)
            for f in config.check_config(news)
        ]
        inputs = {
            k: secret_value(v) if config.KEYS.get(k) in config.SECRET_KEYS else v
            for k, v in news.items()
        }
        return provider_pb2.CheckResponse(inputs=_struct(inputs), failures=failures)

    @_rpc
    def DiffConfig(self, request: Any, context: grpc.ServicerContext) -> Any:
        olds = plain(json_format.MessageToDict(request.olds))
        news = plain(json_format.MessageToDict(request.news))
        changed = sorted(k for k in {*olds, *news} if olds.get(k) != news.get(k))
        detailed = {
            k: provider_pb2.PropertyDiff(kind=provider_pb2.PropertyDiff.UPDATE, inputDiff=True)
            for k in changed
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if changed
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=changed,
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    @_rpc
    def Configure(self, request: Any, context: grpc.ServicerContext) -> Any:
        args = plain(json_format.MessageToDict(request.args)) if request.HasField("args") else {}
        if not args:  # an old engine: only `variables`, keyed `aem:config:apiUrl`
            args = {k.rpartition(":")[2]: v for k, v in request.variables.items()}
        settings = config.settings_from(args)
        self.credentials.configure(config.as_stack_config(settings))
        # No supportsPreview: the engine then never calls Create/Update at preview, so a preview
        # makes no Cloud Manager write (and no call at all but Read on refresh).
        return provider_pb2.ConfigureResponse(acceptSecrets=True, supportsPreview=False)

    # --- resources ---------------------------------------------------------------------------

    @_rpc
    def Check(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        news, secret = from_struct(request.news)
        name = resource_name(request.urn, request.name)
        news = _numbers_as_strings(declaration.inputs, news)
        who = declaration.who(name, parent_types(request.urn))
        # A second resource declaring the same object fails here too, and so do inputs only
        # Cloud Manager can judge (read-only calls).
        checked = checking.check_all(
            declaration, {**news, "resource_name": name}, who, self._client_if_configured()
        )
        found = checked.failures
        failures = [
            provider_pb2.CheckFailure(property=camel_path(f.property), reason=f.reason)
            for f in found
        ]
        inputs = to_struct(_without_name(checked.inputs), _models(declaration), secret)
        return provider_pb2.CheckResponse(inputs=inputs, failures=failures)

    @_rpc
    def Diff(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        outputs, _ = from_struct(request.olds)
        old_inputs, _ = from_struct(request.old_inputs)
        news, _ = from_struct(request.news)
        olds = _unverifiable_as_new({**outputs, **old_inputs}, news, declaration)
        found = checking.diff(declaration, olds, news)
        kinds = provider_pb2.PropertyDiff
        detailed = {
            camel_path(path): kinds(
                kind=kinds.UPDATE_REPLACE if replaces else kinds.UPDATE, inputDiff=True
            )
            for path, replaces in found.detailed.items()
        }
        return provider_pb2.DiffResponse(
            changes=provider_pb2.DiffResponse.DIFF_SOME
            if found.changes
            else provider_pb2.DiffResponse.DIFF_NONE,
            diffs=[camel_path(p) for p in found.changes],
            replaces=[camel_path(p) for p in found.replaces],
            deleteBeforeReplace=found.delete_before_replace,
            detailedDiff=detailed,
            hasDetailedDiff=True,
        )

    @_rpc
    def Create(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        props, secret = from_struct(request.properties)
        if request.preview:  # not claimed in Configure; answer from the inputs if asked anyway
            return provider_pb2.CreateResponse(properties=request.properties)
        ctx = self._context(declaration, request, "create")
        inputs = _inputs(declaration, props, ctx.resource_name)
        with reporting_to(functools.partial(self.log, urn=request.urn)):
            created = declaration.operations.create(inputs, ctx)
        outputs = to_struct(_without_name(created.outputs), _models(declaration), secret)
        return provider_pb2.CreateResponse(id=created.id, properties=outputs)

    @_rpc
    def Read(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        stored, secret = from_struct(request.properties)
        stored_inputs, input_secret = from_struct(request.inputs)
        ctx = self._context(declaration, request)
        state = _state({**stored_inputs, **stored})
        with reporting_to(functools.partial(self.log, urn=request.urn)):
            found = declaration.operations.read(request.id, state, ctx)
        if found is None:  # gone: an empty id tells the engine so
            return provider_pb2.ReadResponse(id="")
        models = _models(declaration)
        inputs = found.inputs if found.inputs is not None else stored_inputs
        model_inputs = _as_checked(declaration, inputs, ctx.resource_name)
        return provider_pb2.ReadResponse(
            id=found.id,
            properties=to_struct(_without_name(found.outputs), models, secret | input_secret),
            inputs=to_struct(model_inputs, models, secret | input_secret),
        )

    @_rpc
    def Update(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        olds, old_secret = from_struct(request.olds)
        news, secret = from_struct(request.news)
        if request.preview:
            return provider_pb2.UpdateResponse(properties=request.news)
        ctx = self._context(declaration, request, "update")
        inputs = _inputs(declaration, news, ctx.resource_name)
        with reporting_to(functools.partial(self.log, urn=request.urn)):
            outputs = declaration.operations.update(request.id, _state(olds), inputs, ctx)
        struct = to_struct(_without_name(outputs), _models(declaration), secret | old_secret)
        return provider_pb2.UpdateResponse(properties=struct)

    @_rpc
    def Delete(self, request: Any, context: grpc.ServicerContext) -> Any:
        declaration = self._declaration(request.urn, request.type)
        props, _ = from_struct(request.properties)
        ctx = self._context(declaration, request, "delete")
        with reporting_to(functools.partial(self.log, urn=request.urn)):
            declaration.operations.delete(request.id, _state(props), ctx)
        return empty_pb2.Empty()

    # --- components --------------------------------------------------------------------------

    @_rpc
    def Construct(self, request: Any, context: grpc.ServicerContext) -> Any:
        return self._components.construct(request, context)

    # --- lookups -----------------------------------------------------------------------------

    @_rpc
    def Invoke(self, request: Any, context: grpc.ServicerContext) -> Any:
        args, _ = from_struct(request.args)
        answer = lookups.invoke(request.tok, args, self.credentials.client)
        if isinstance(answer, lookups.Failures):
            failures = [
                provider_pb2.CheckFailure(property=camel_path(p), reason=r)
                for p, r in answer.failures
            ]
            return provider_pb2.InvokeResponse(failures=failures)
        return provider_pb2.InvokeResponse(**{"return": to_struct(answer)})

    # --- helpers -----------------------------------------------------------------------------

    def _declaration(self, urn: str, type_: str) -> Declaration[Any]:
        token = resource_type(urn, type_)
        declaration = self.declarations.get(token)
        if declaration is None:
            known = ", ".join(sorted(self.declarations))
            raise InvalidInputs(f"aem provider: unknown resource type '{token}'; known: {known}")
        return declaration

    def _client_if_configured(self) -> Callable[[], CloudManagerClient] | None:
        try:
            client = self.credentials.client()
        except ConfigurationError:
            return None
        return lambda: client

    def _context(self, declaration: Declaration[Any], request: Any, operation: str = "") -> Context:
        timeout = float(getattr(request, "timeout", 0.0) or 0.0)
        engine_timeouts = {operation: timeout} if operation and timeout > 0 else {}
        stack = stack_name(request.urn)
        return Context(
            declaration.name,
            resource_name(request.urn, getattr(request, "name", "")),
            self.credentials.client(),
            engine_timeouts,
            # The stack's state says which objects are this stack's, read as the dynamic
            # provider reads it (`pulumi stack export`): a create takes those over without adopt.
            ledger=ledger_for(stack) if stack else NoLedger(),
            force_delete=requested(FORCE_DELETE_ENV),
            adopt_all=requested(ADOPT_ENV),
            parents=parent_types(request.urn),
        )


def _struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def _models(declaration: Declaration[Any]) -> tuple[Any, ...]:
    return (declaration.inputs, declaration.outputs)


def _unverifiable_as_new(
    olds: dict[str, Any], news: Mapping[str, Any], declaration: Declaration[Any]
) -> dict[str, Any]:
    """`olds` where a secret input is missing taken as unchanged.

    Cloud Manager never returns a secret (a variable's value, a VPN's shared keys), so an import
    (Read with the id alone) cannot find it: without this, `import_` would fail on "inputs do not
    match" for every secret, and the first `up` after `pulumi import` would write it again.
    """
    filled: dict[str, Any] = _fill_secrets(declaration.inputs, olds, news)
    return filled


def _fill_secrets(model: type[BaseModel], old: Any, new: Any) -> Any:
    if not (isinstance(old, dict) and isinstance(new, Mapping)):
        return old
    filled = dict(old)
    for name in model.model_fields:
        if has_marker(model, name, SECRET):
            if filled.get(name) is None and new.get(name) is not None:
                filled[name] = new[name]
            continue
        inner = nested_model(model, name)
        o, n = filled.get(name), new.get(name)
        if inner is None:
            continue
        if isinstance(o, list) and isinstance(n, list) and len(o) == len(n):
            filled[name] = [_fill_secrets(inner, a, b) for a, b in zip(o, n, strict=True)]
        else:
            filled[name] = _fill_secrets(inner, o, n)
    return filled


def _as_checked(
    declaration: Declaration[Any], props: Mapping[str, Any], name: str
) -> dict[str, Any]:
    """Read's inputs in the form Check gives a program's (defaults such as `adopt: false` filled
    in), so an import diffs clean against the program that declares what was imported."""
    model_props = checking.input_props(declaration.inputs, _without_name(props))
    checked = checking.check(declaration, {**model_props, "resource_name": name})
    return _without_name(checked.inputs)


def _numbers_as_strings(model: type[BaseModel], props: dict[str, Any]) -> dict[str, Any]:
    """`props` with a whole number given for a string input as that string (`10001`).

    Pulumi YAML sends a numeric-looking string from the stack configuration as a number, even
    where the project declares it `type: string` (pulumi/pulumi-yaml#577): a program id set with
    `pulumi config set programId 10001` would otherwise fail as "not a valid string".
    """
    fixed = dict(props)
    for name, info in model.model_fields.items():
        value = fixed.get(name)
        if isinstance(value, int) and not isinstance(value, bool) and _is_text(info.annotation):
            fixed[name] = str(value)
    return fixed


def _is_text(annotation: Any) -> bool:
    """`str` or `str | None`."""
    return annotation is str or set(typing.get_args(annotation)) == {str, type(None)}


def _without_name(props: Mapping[str, Any]) -> dict[str, Any]:
    """Props without the core's `resource_name` (the plugin takes it from the URN)."""
    return {k: v for k, v in props.items() if k != "resource_name"}


def _state(props: Mapping[str, Any]) -> dict[str, Any]:
    """Stored properties for the core, without front-end keys (a migrated dynamic `__provider`)."""
    return {k: v for k, v in props.items() if not k.startswith("__") and k != "resource_name"}


def _inputs(declaration: Declaration[Any], props: Mapping[str, Any], name: str) -> Inputs:
    """The checked inputs as the model."""
    model = declaration.inputs
    try:
        inputs: Inputs = model.model_validate(
            {**checking.input_props(model, props), "resource_name": name}
        )
        return inputs
    except PydanticValidationError as exc:  # hide_input_in_errors: no value in the message
        raise InvalidInputs(f"{declaration.who(name)}: invalid inputs: {exc}") from None


def _engine_stub(address: str | None) -> Any:
    if not address:
        return None
    return engine_pb2_grpc.EngineStub(grpc.insecure_channel(address))


def serve(engine_address: str | None = None, port: int = 0) -> tuple[grpc.Server, int]:
    """Start the server on 127.0.0.1 (`port` 0: a free one); answers it and its port."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=MAX_WORKERS), options=_GRPC_OPTIONS)
    provider_pb2_grpc.add_ResourceProviderServicer_to_server(AemProvider(engine_address), server)
    bound = server.add_insecure_port(f"127.0.0.1:{port}")
    server.start()
    return server, bound


def main(argv: list[str] | None = None) -> None:
    """`pulumi-resource-aem [flags] [engine-address]`: serve, and print the port for the engine."""
    args = sys.argv[1:] if argv is None else argv
    if "--version" in args:
        sys.stdout.write(package_version("aem-pulumi") + "\n")
        return
    _configure_logging(args)
    engine = next((a for a in args if not a.startswith("-")), None)
    server, port = serve(engine)
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    server.wait_for_termination()


def _configure_logging(args: list[str]) -> None:
    """Debug lines to stderr with `--logtostderr -v=N` (the flags the engine passes on `-v`)."""
    verbose = any(a.startswith("-v=") and a[3:].isdigit() and int(a[3:]) >= 5 for a in args)
    if "--logtostderr" in args and verbose:
        logging.basicConfig(level=logging.DEBUG, stream=sys.stderr)
