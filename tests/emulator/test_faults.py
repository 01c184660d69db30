"""Injected faults: HTTP errors, dropped connections and failing asynchronous operations."""

from __future__ import annotations

from typing import Any

import pytest
import requests

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import (
    DEV,
    INFRASTRUCTURES,
    PROGRAM,
    Api,
    environment,
    error,
    infrastructure,
    token_for,
    vpn_body,
)

NETWORKING = f"{environment(DEV)}/advancedNetworking"
VARIABLES = f"{environment(DEV)}/variables"


def _statuses(api: Api, calls: int, path: str = PROGRAM) -> list[int]:
    """The statuses of `calls` GETs of `path`."""
    return [api.get(path).status_code for _ in range(calls)]


def test_http_fault__429(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=429, retry_after=2)
    response = api.get(PROGRAM)
    assert (response.status_code, response.headers["Retry-After"]) == (429, "2")
    assert response.json() == error(429, "Too many requests (injected fault)")
    assert response.headers["x-request-id"]
    assert api.get(PROGRAM).status_code == 200


def test_http_fault__429_default_retry_after(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=429)
    assert api.get(PROGRAM).headers["Retry-After"] == "1"


def test_http_fault__503_count(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=503, count=2)
    response = api.get(PROGRAM)
    assert response.json() == error(503, "System under maintenance (injected fault)")
    assert "Retry-After" not in response.headers
    assert _statuses(api, 2) == [503, 200]
    assert emulator.faults() == []


def test_http_fault__500(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=500)
    response = api.get(PROGRAM)
    assert (response.status_code, response.json()) == (
        500,
        error(500, "Internal server error (injected fault)"),
    )


def test_http_fault__method(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=503, method="POST")
    assert api.get(PROGRAM).status_code == 200
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "va7"})
    assert response.status_code == 503
    assert api.body(INFRASTRUCTURES)["_totalNumberOfItems"] == 0


def test_http_fault__path(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=503, path=r"/environments$")
    assert api.get(PROGRAM).status_code == 200
    assert _statuses(api, 2, f"{PROGRAM}/environments") == [503, 200]


def test_http_fault__rate(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=503, rate=0.5, seed=7)
    first = _statuses(api, 30)
    emulator.clear_faults()
    emulator.inject_fault("http", status=503, rate=0.5, seed=7)
    assert _statuses(api, 30) == first
    assert set(first) == {200, 503}


def test_http_fault__ims(emulator: EmulatorControl, credentials: dict[str, str]) -> None:
    emulator.inject_fault("http", status=503, path="^/ims/")
    form = {"client_id": "x", "client_secret": "y", "grant_type": "client_credentials"}
    response = requests.post(f"{credentials['ims_url']}/ims/token/v3", data=form, timeout=10)
    expected = error(503, "System under maintenance (injected fault)")
    assert (response.status_code, response.json()) == (503, expected)
    assert token_for(credentials)


def test_drop_fault(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("drop", method="POST")
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "va7"})
    assert api.body(INFRASTRUCTURES)["_totalNumberOfItems"] == 0
    dropped = emulator.requests()[-2]
    assert (dropped["method"], dropped["status"], dropped["fault"]) == ("POST", None, "drop")


def test_fail_fault__infrastructure_create(
    api: Api, emulator: EmulatorControl, production_in_nld2: dict[str, Any]
) -> None:
    emulator.inject_fault("fail", operation="infrastructure_create")
    created = api.create_infrastructure()
    assert created["status"] == "failed"
    assert created["statusDetails"] == {
        "errorCode": "NETWORK_INFRASTRUCTURE_CREATE_FAILED",
        "message": f"Network infrastructure {created['id']}: create failed (injected fault)",
    }
    assert api.create_infrastructure(region="nld2")["status"] == "ready"


def test_fail_fault__infrastructure_update(api: Api, emulator: EmulatorControl) -> None:
    created = api.create_infrastructure("vpn")
    emulator.inject_fault("fail", operation="infrastructure_update")
    response = api.put(infrastructure(created["id"]), vpn_body(dns={"resolvers": ["10.0.0.9"]}))
    body = response.json()
    assert (response.status_code, body["status"]) == (200, "failed")
    assert body["dns"] == created["dns"]
    assert body["statusDetails"]["errorCode"] == "NETWORK_INFRASTRUCTURE_UPDATE_FAILED"


def test_fail_fault__infrastructure_delete(api: Api, emulator: EmulatorControl) -> None:
    created = api.create_infrastructure()
    emulator.inject_fault("fail", operation="infrastructure_delete")
    assert api.delete(infrastructure(created["id"])).json()["status"] == "failed"
    assert api.status(infrastructure(created["id"])) == "failed"
    assert api.delete(infrastructure(created["id"])).json()["status"] == "deleted"


def test_fail_fault__environment_update(api: Api, emulator: EmulatorControl) -> None:
    api.create_infrastructure()
    emulator.inject_fault("fail", operation="environment_update")
    rule = {"name": "smtp.example.com", "portDest": 465, "portOrig": 30465}
    assert api.put(NETWORKING, {"portForwards": [rule]}).json()["status"] == "failed"
    configuration = api.body(NETWORKING)["_embedded"]["networkingConfigurations"][0]
    assert configuration["advancedNetworkingEnabled"] is False
    assert api.enable(DEV, {"portForwards": [rule]})["status"] == "ready"


def test_fail_fault__variables_update(api: Api, emulator: EmulatorControl) -> None:
    api.set_variables([{"name": "KEEP", "value": "1"}])
    emulator.inject_fault("fail", operation="variables_update")
    api.set_variables([{"name": "MODE", "value": "one"}])
    found = {v["name"]: v["status"] for v in api.variables()}
    assert found == {"KEEP": "ready", "MODE": "failed"}
    assert api.status(environment(DEV)) == "ready"


def test_fail_fault__logged(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("fail", operation="infrastructure_create", path="networkInfrastructures")
    api.create_infrastructure()
    logged: dict[str, Any] = emulator.requests()[-1]
    assert (logged["method"], logged["status"], logged["fault"]) == ("POST", 201, "fail")
