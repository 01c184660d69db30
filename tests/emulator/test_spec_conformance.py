"""Every operation the emulator serves, at the spec's path, answers what the spec's schema says.

The spec is made strict first (`additionalProperties: false` wherever a schema lists
properties), so a field the spec does not declare fails as well.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests
import yaml
from jsonschema import Draft4Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings

from .conftest import (
    DEV,
    INFRASTRUCTURES,
    PROGRAM,
    VALIDATION_EXCEPTION,
    Api,
    environment,
    infrastructure,
    vpn_body,
)

# Adobe's Swagger file, vendored with its origin and licence (spec/README.md).
SPEC_PATH = Path(__file__).with_name("spec") / "cloudmanager-api.yaml"
SPEC_URI = "urn:cloudmanager-api"
EMBEDDED_PROGRAM_ENVIRONMENTS = "http://ns.adobe.com/adobecloud/rel/environments"
SERVED = (
    "getPrograms",
    "getTenants",
    "getTenant",
    "getProgramsForTenant",
    "getProgram",
    "getProgramRegions",
    "getEnvironments",
    "getEnvironment",
    "getRegionDeployments",
    "getRegionDeployment",
    "getNetworkInfrastructures",
    "createNetworkInfrastructure",
    "getNetworkInfrastructure",
    "updateNetworkInfrastructure",
    "deleteNetworkInfrastructure",
    "getEnvironmentAdvancedNetworkingConfigurationList",
    "enableEnvironmentAdvancedNetworkingConfiguration",
    "disableEnvironmentAdvancedNetworkingConfiguration",
    "getEnvironmentVariables",
    "patchEnvironmentVariables",
)


@dataclass
class Walk:
    """The answer of each served operation, called once successfully."""

    api: Api
    calls: dict[str, tuple[str, str, requests.Response]] = field(default_factory=dict)

    def call(self, operation_id: str, method: str, path: str, body: Any = None) -> Any:
        """Call one operation, which must succeed; its JSON answer (None when empty)."""
        response = self.api.call(method, path, json=body)
        assert response.status_code < 300, f"{operation_id}: {response.text}"
        self.calls[operation_id] = (method, path, response)
        return response.json() if response.content else None


def _walk(walk: Walk) -> None:
    """Every served operation, in an order that makes each one succeed."""
    walk.call("getPrograms", "GET", "/api/programs")
    walk.call("getTenants", "GET", "/api/tenants")
    walk.call("getTenant", "GET", "/api/tenant/emulator")
    walk.call("getProgramsForTenant", "GET", "/api/tenant/emulator/programs")
    walk.call("getProgram", "GET", PROGRAM)
    walk.call("getProgramRegions", "GET", f"{PROGRAM}/regions")
    walk.call("getEnvironments", "GET", f"{PROGRAM}/environments")
    walk.call("getEnvironment", "GET", environment(DEV))
    deployments = f"{environment(DEV)}/regionDeployments"
    listed = walk.call("getRegionDeployments", "GET", deployments)
    first = listed["_embedded"]["regionDeployments"][0]["id"]
    walk.call("getRegionDeployment", "GET", f"{deployments}/{first}")
    created = walk.call("createNetworkInfrastructure", "POST", INFRASTRUCTURES, vpn_body())
    infra = infrastructure(created["id"])
    walk.call("getNetworkInfrastructures", "GET", INFRASTRUCTURES)
    walk.call("getNetworkInfrastructure", "GET", infra)
    walk.call("updateNetworkInfrastructure", "PUT", infra, vpn_body())
    networking = f"{environment(DEV)}/advancedNetworking"
    rule = {"name": "smtp.example.com", "portDest": 465, "portOrig": 30465}
    rules = {"nonProxyHosts": ["*.example.com"], "portForwards": [rule]}
    walk.call("enableEnvironmentAdvancedNetworkingConfiguration", "PUT", networking, rules)
    walk.call("getEnvironmentAdvancedNetworkingConfigurationList", "GET", networking)
    walk.call("disableEnvironmentAdvancedNetworkingConfiguration", "DELETE", networking)
    variables = f"{environment(DEV)}/variables"
    updates = [
        {"name": "EMAIL_USERNAME", "value": "apikey", "service": "publish"},
        {"name": "EMAIL_PASSWORD", "value": "s3cr3t", "type": "secretString"},
    ]
    walk.call("patchEnvironmentVariables", "PATCH", variables, updates)
    walk.call("getEnvironmentVariables", "GET", variables)
    walk.call("deleteNetworkInfrastructure", "DELETE", infra)


@pytest.fixture(scope="module")
def walk() -> Iterator[Walk]:
    """The walk, once, on an emulator of its own."""
    with EmulatorServer(timings=Timings.zero()) as server:
        credentials = {"api_url": server.url, "ims_url": server.url, "org_id": ORG_ID}
        api = Api({**credentials, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
        walked = Walk(api)
        _walk(walked)
        yield walked


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    """Adobe's Swagger file."""
    return dict(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def registry(spec: dict[str, Any]) -> Registry[Any]:
    """The strict spec, where `#/definitions/...` references resolve."""
    contents = _strict(_with_behaviour_page(copy.deepcopy(spec)))
    resource = Resource.from_contents(contents, default_specification=DRAFT4)
    return Registry().with_resource(SPEC_URI, resource)


def _strict(schema: Any) -> Any:
    """A copy where every schema listing properties refuses undeclared ones."""
    if isinstance(schema, list):
        return [_strict(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    strict = {key: _strict(value) for key, value in schema.items() if key != "properties"}
    if isinstance(schema.get("properties"), dict):
        strict["properties"] = {k: _strict(v) for k, v in schema["properties"].items()}
        strict.setdefault("additionalProperties", False)
    return strict


def _with_behaviour_page(spec: dict[str, Any]) -> dict[str, Any]:
    """The spec plus what the behaviour page adds: each listed program links its environments.

    ("`GET /api/programs` lists the programs ..., each with `_links` `self` and
    `http://ns.adobe.com/adobecloud/rel/environments`"; the spec's `EmbeddedProgram` lists only
    `self` and `tenant`.)
    """
    links = spec["definitions"]["EmbeddedProgram"]["properties"]["_links"]["properties"]
    links[EMBEDDED_PROGRAM_ENVIRONMENTS] = {"$ref": "#/definitions/HalLink"}
    return spec


def _operations(spec: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, Any]]]:
    """Each operation id → (method, path template, operation)."""
    found = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = (method.upper(), path, operation)
    return found


def _errors(registry: Registry[Any], reference: str, instance: Any) -> list[str]:
    """Where `instance` breaks the schema at `reference` (`#/definitions/...`)."""
    validator = Draft4Validator({"$ref": f"{SPEC_URI}{reference}"}, registry=registry)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]


def test_walk__covers_every_served_operation(walk: Walk, spec: dict[str, Any]) -> None:
    assert sorted(walk.calls) == sorted(SERVED)
    assert set(SERVED) <= set(_operations(spec))


@pytest.mark.parametrize("operation_id", SERVED)
def test_operation__matches_spec(
    operation_id: str, walk: Walk, spec: dict[str, Any], registry: Registry[Any]
) -> None:
    method, template, operation = _operations(spec)[operation_id]
    called_method, path, response = walk.calls[operation_id]
    assert called_method == method
    assert re.fullmatch(re.sub(r"\{\w+\}", "[^/]+", template), path), (template, path)
    declared = operation["responses"][str(response.status_code)]
    if "schema" not in declared:
        assert response.content == b""
        return
    assert _errors(registry, declared["schema"]["$ref"], response.json()) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/api/program/19999", None),
        ("POST", INFRASTRUCTURES, {"kind": "vpn", "region": "va7"}),
        ("PATCH", f"{environment('29999')}/variables", []),
    ],
)
def test_error__matches_bad_request_error(
    walk: Walk, registry: Registry[Any], method: str, path: str, body: Any
) -> None:
    response = walk.api.call(method, path, json=body)
    assert response.status_code in (400, 404)
    assert _errors(registry, "#/definitions/BadRequestError", response.json()) == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", f"{environment(DEV)}/variables", [{"name": "1X", "value": "1"}]),
        ("PUT", f"{environment(DEV)}/advancedNetworking", {"portForwards": [{"portDest": 1}]}),
    ],
)
def test_error__validation_exception(walk: Walk, method: str, path: str, body: Any) -> None:
    response = walk.api.call(method, path, json=body)
    problem = response.json()
    assert (response.status_code, response.headers["Content-Type"]) == (
        400,
        "application/problem+json",
    )
    assert (problem["type"], problem["title"]) == (VALIDATION_EXCEPTION, "Constraint Violations")
    assert all(
        set(entry) == {"field", "code", "message"} and entry["field"] == field
        for field, entry in problem["errors"].items()
    )
