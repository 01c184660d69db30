"""The Pulumi package schema (GetSchema), generated from the core's declarations.

Inputs come from each declaration's input model (`inputProperties`), outputs from inputs plus
its outputs model (`properties`); names are camelCase, descriptions the fields' docstrings,
`secret: true` the SECRET marker, and each nested model an object type `aem:index:<Name>`.
Nothing here is written twice: a field added to a model shows in the schema.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from aem_pulumi.client.settings import ENV_NAMES, config_key
from aem_pulumi.core.declaration import Declaration
from aem_pulumi.core.inputs import SECRET
from aem_pulumi.core.registry import declarations
from aem_pulumi.plugin.names import to_camel

PACKAGE = "aem"
FRONT_END_INPUTS = frozenset({"resource_name"})
"""Core inputs the plugin fills in itself (from the URN), so no program gives them."""
CONFIG_DESCRIPTIONS = {
    "api_url": "Cloud Manager API base URL (default https://cloudmanager.adobe.io).",
    "ims_url": "Adobe IMS base URL (default https://ims-na1.adobelogin.com).",
    "client_id": "OAuth server-to-server client id of the Adobe Developer Console project.",
    "client_secret": "Its client secret.",
    "org_id": "The IMS organization id (`...@AdobeOrg`).",
    "scopes": "OAuth scopes, comma separated (the Cloud Manager defaults when unset).",
}
"""The provider configuration (`aem:<key>`); each falls back to its `AEM_*` variable."""


def schema(
    version: str,
    functions: Mapping[str, Any] | None = None,
    components: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """The whole package schema (`components`: token -> resource entry with `isComponent`)."""
    object_types: dict[str, Any] = {}
    resources = {d.token: _resource(d, object_types) for d in declarations()}
    resources.update(components or {})
    config = _config_properties()
    return {
        "name": PACKAGE,
        "displayName": "AEM as a Cloud Service (Cloud Manager)",
        "version": version,
        "description": "AEM as a Cloud Service networking, variables and secrets through the "
        "Cloud Manager API.",
        "config": {"variables": config},
        "provider": {
            "description": "The `aem` provider: Cloud Manager credentials.",
            "inputProperties": config,
            "properties": config,
        },
        "resources": resources,
        "types": object_types,
        "functions": dict(functions or {}),
        "language": {"python": {"packageName": "aem_pulumi_sdk"}},
    }


def type_token(model: type[BaseModel]) -> str:
    """`aem:index:VpnConnection` for `VpnConnectionInputs`."""
    return f"{PACKAGE}:index:{model.__name__.removesuffix('Inputs')}"


def _config_properties() -> dict[str, Any]:
    props = {}
    for key, variable in ENV_NAMES.items():
        prop: dict[str, Any] = {
            "type": "string",
            "description": f"{CONFIG_DESCRIPTIONS[key]} Falls back to `{variable}`.",
            "defaultInfo": {"environment": [variable]},
        }
        if key == "client_secret":
            prop["secret"] = True
        props[config_key(key)] = prop
    return props


def _resource(declaration: Declaration[Any], object_types: dict[str, Any]) -> dict[str, Any]:
    inputs = _properties(declaration.inputs, object_types)
    outputs = {**inputs, **_properties(declaration.outputs, object_types)}
    return {
        "description": f"{declaration.description}\n\nId `{declaration.id_format}`.",
        "inputProperties": inputs,
        "requiredInputs": _required(declaration.inputs),
        "properties": outputs,
        "requiredOutputs": _required(declaration.inputs),
    }


def object_type(model: type[BaseModel], object_types: dict[str, Any]) -> dict[str, str]:
    """A `$ref` to `model`'s object type, adding it (and its nested types) to `object_types`."""
    token = type_token(model)
    if token not in object_types:
        object_types[token] = {}  # placeholder first: a model may refer to itself
        object_types[token] = {
            "type": "object",
            "description": (model.__doc__ or "").strip(),
            "properties": _properties(model, object_types),
            "required": _required(model),
        }
    return {"$ref": f"#/types/{token}"}


def _properties(model: type[BaseModel], object_types: dict[str, Any]) -> dict[str, Any]:
    props = {}
    for name, info in model.model_fields.items():
        if name in FRONT_END_INPUTS:
            continue
        prop = {**_type_of(info.annotation, object_types), "description": _description(info)}
        if SECRET in info.metadata:
            prop["secret"] = True
        props[to_camel(name)] = prop
    return props


def object_type_properties(model: type[BaseModel]) -> dict[str, Any]:
    """An inline object type of `model`'s fields (a function's inputs or outputs)."""
    object_types: dict[str, Any] = {}
    return {
        "type": "object",
        "description": (model.__doc__ or "").strip(),
        "properties": _properties(model, object_types),
        "required": _required(model),
    }


def _required(model: type[BaseModel]) -> list[str]:
    return sorted(
        to_camel(name)
        for name, info in model.model_fields.items()
        if info.is_required() and name not in FRONT_END_INPUTS
    )


def _description(info: FieldInfo) -> str:
    return " ".join((info.description or "").split())


def _type_of(annotation: Any, object_types: dict[str, Any]) -> dict[str, Any]:
    """The schema type of a Python annotation (optional, annotated, list, dict, model, scalar)."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _type_of(args[0], object_types)
    if origin in (typing.Union, types.UnionType):
        return _type_of(args[0], object_types) if len(args) == 1 else {"$ref": "pulumi.json#/Any"}
    if origin is list:
        return {"type": "array", "items": _type_of(args[0], object_types)}
    if origin is dict:
        return {"type": "object", "additionalProperties": _type_of(args[1], object_types)}
    if origin is Literal:
        return {"type": "string"}
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return object_type(annotation, object_types)
    return {"type": _SCALARS.get(annotation, "string")}


_SCALARS: dict[Any, str] = {str: "string", int: "integer", float: "number", bool: "boolean"}
