"""One `pulumi.dynamic.ResourceProvider` for every declared resource.

Credentials come from the stack configuration (`aem:*`, read in `configure()`) or the `AEM_*`
environment variables; they live in this module of the provider process, never on the pickled
provider and never in resource inputs. `check` and `diff` are the core's, derived from the
declaration (pulumi-dynamic.md, STYLE.md); the CRUD calls hand plain data to its operations.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar

import pulumi
from pulumi.dynamic import (
    CheckFailure,
    CheckResult,
    ConfigureRequest,
    CreateResult,
    DiffResult,
    ReadResult,
    ResourceProvider,
    UpdateResult,
)
from pydantic import ValidationError as PydanticValidationError

from aem_pulumi.client import CloudManagerClient, ConfigurationError
from aem_pulumi.client.settings import ENV_NAMES, config_key
from aem_pulumi.core import checking, registry
from aem_pulumi.core.credentials import Credentials
from aem_pulumi.core.declaration import Context, Declaration
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.inputs import Inputs
from aem_pulumi.core.ownership import ADOPT_ENV, FORCE_DELETE_ENV, NoLedger, requested
from aem_pulumi.core.progress import reporting_to
from aem_pulumi.dynamic.ledger import PARENTS_KEY, STACK_KEY, ledger_for

PROVIDER_KEY = "__provider"
CREDENTIALS = Credentials()
"""The provider process's settings (one implicit provider per stack)."""


class DynamicProvider(ResourceProvider):
    """Serves `declaration` to the dynamic host; subclasses only name the declaration."""

    declaration: ClassVar[Declaration[Any]]

    def configure(self, req: ConfigureRequest) -> None:
        """Take the `aem:*` credentials from the stack configuration (secrets arrive decrypted).

        It also imports every core module (through the registry), so that none is imported later while calls run: the
        SDK unpickles a provider and calls this under its provider lock, before any call of the
        process. Importing a module builds its pydantic models, which parse source code with
        `ast` (attribute docstrings); the SDK formats each failure's traceback, which parses too
        (3.11's carets). On CPython 3.11 the two at once in two threads failed a real-CLI `up`
        with `SystemError: AST constructor recursion depth mismatch` (python/cpython#106905).
        """
        registry.declarations()  # imports every core module, once
        keys = [f"aem:{config_key(k)}" for k in ENV_NAMES]
        CREDENTIALS.configure({key: req.config.get(key) for key in keys})

    def check(self, _olds: dict[str, Any], news: dict[str, Any]) -> CheckResult:
        """Validate the inputs against the model; every error becomes a failure on its property.
        A second resource of the deployment declaring the same object fails here too."""
        who = self.declaration.who(str(news.get("resource_name")), _parents(news))
        checked = checking.check_all(self.declaration, news, who, _client_if_configured())
        failures = checked.failures
        hidden = {k: v for k, v in news.items() if k in (STACK_KEY, PARENTS_KEY)}
        return CheckResult(
            {**checked.inputs, **hidden}, [CheckFailure(f.property, f.reason) for f in failures]
        )

    def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
        """Changed inputs from the model; replace when one carries the REPLACES marker."""
        found = checking.diff(self.declaration, olds, news)
        return DiffResult(
            changes=bool(found.changes),
            replaces=found.replaces,
            delete_before_replace=found.delete_before_replace,
        )

    def create(self, props: dict[str, Any]) -> CreateResult:
        """The declaration's create."""
        inputs = self._inputs(props)
        with reporting_to(pulumi.log.info):
            created = self.declaration.operations.create(inputs, self._context(props))
        return CreateResult(created.id, _with_stack(created.outputs, props))

    def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
        """The declaration's read; an empty id when the object is gone."""
        with reporting_to(pulumi.log.info):
            found = self.declaration.operations.read(id_, _state(props), self._context(props, id_))
        if found is None:
            return ReadResult(None, {})
        return ReadResult(found.id, _with_stack(found.outputs, props), found.inputs)

    def update(self, id_: str, olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
        """The declaration's update; every output."""
        inputs = self._inputs(news)
        with reporting_to(pulumi.log.info):
            outputs = self.declaration.operations.update(
                id_, _state(olds), inputs, self._context(news)
            )
        return UpdateResult(_with_stack(outputs, news))

    def delete(self, id_: str, props: dict[str, Any]) -> None:
        """The declaration's delete."""
        with reporting_to(pulumi.log.info):
            self.declaration.operations.delete(id_, _state(props), self._context(props, id_))

    def _inputs(self, props: Mapping[str, Any]) -> Inputs:
        """The checked inputs as the model (check has run; this drops `__provider` and outputs)."""
        model = self.declaration.inputs
        try:
            inputs: Inputs = model.model_validate(checking.input_props(model, props))
            return inputs
        except PydanticValidationError as exc:  # hide_input_in_errors: no value in the message
            raise InvalidInputs(f"{self.declaration.name}: invalid inputs: {exc}") from None

    def _context(self, props: Mapping[str, Any], id_: str = "") -> Context:
        name = str(props.get("resource_name") or id_)
        stack = props.get(STACK_KEY)
        return Context(
            self.declaration.name,
            name,
            CREDENTIALS.client(),
            parents=_parents(props),
            ledger=ledger_for(str(stack)) if stack else NoLedger(),
            force_delete=requested(FORCE_DELETE_ENV),
            adopt_all=requested(ADOPT_ENV),
        )


def _client_if_configured() -> Callable[[], CloudManagerClient] | None:
    """The client for read-only checks at preview, when the credentials are there."""
    try:
        client = CREDENTIALS.client()
    except ConfigurationError:
        return None
    return lambda: client


def _with_stack(outputs: dict[str, Any], props: Mapping[str, Any]) -> dict[str, Any]:
    """Outputs keep the stack's name and the parents, so a later delete judges ownership too."""
    hidden = {k: props[k] for k in (STACK_KEY, PARENTS_KEY) if props.get(k)}
    return {**outputs, **hidden}


def _parents(props: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(str(p) for p in props.get(PARENTS_KEY) or ())


def _state(props: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in props.items() if k not in (PROVIDER_KEY, STACK_KEY, PARENTS_KEY)}
