"""getRegionDeployments and getRegionDeployment: the regions an environment runs in."""

from __future__ import annotations

import re

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl, EmulatorControlError

from .conftest import DEV, PROD, Api, environment, error

DEPLOYMENTS = f"{environment(PROD)}/regionDeployments"
TIMESTAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"


def _listed(api: Api, path: str = DEPLOYMENTS) -> list[tuple[str, str, str]]:
    """(region, type, status) of each region deployment listed, in order."""
    items = api.body(path)["_embedded"]["regionDeployments"]
    return [(d["region"], d["type"], d["status"]) for d in items]


def test_get_region_deployments(api: Api) -> None:
    body = api.body(DEPLOYMENTS)
    (deployment,) = body["_embedded"]["regionDeployments"]
    assert (body["_totalNumberOfItems"], body["_links"]) == (1, {"self": {"href": DEPLOYMENTS}})
    created, updated = deployment.pop("createdAt"), deployment.pop("updatedAt")
    assert deployment == {
        "id": deployment["id"],
        "environmentId": PROD,
        "region": "va7",
        "type": "PRIMARY",
        "status": "COMPLETE",
        "_links": {"self": {"href": f"{DEPLOYMENTS}/{deployment['id']}"}},
    }
    assert created == updated
    assert re.fullmatch(TIMESTAMP, created), created


def test_get_region_deployments__added_region(api: Api, emulator: EmulatorControl) -> None:
    added = emulator.add_region_deployment("10001", PROD, "nld2")
    assert (added["region"], added["type"], added["status"]) == ("nld2", "SECONDARY", "COMPLETE")
    assert _listed(api) == [("va7", "PRIMARY", "COMPLETE"), ("nld2", "SECONDARY", "COMPLETE")]
    assert _listed(api, f"{environment(DEV)}/regionDeployments") == [("va7", "PRIMARY", "COMPLETE")]


def test_get_region_deployments__not_found(api: Api) -> None:
    response = api.get(f"{environment('29999')}/regionDeployments")
    expected = error(404, "Environment 29999 not found in program 10001")
    assert (response.status_code, response.json()) == (404, expected)


def test_get_region_deployment(api: Api) -> None:
    (deployment,) = api.body(DEPLOYMENTS)["_embedded"]["regionDeployments"]
    assert api.body(deployment["_links"]["self"]["href"]) == deployment


def test_get_region_deployment__not_found(api: Api) -> None:
    response = api.get(f"{DEPLOYMENTS}/99999")
    expected = error(404, "Region deployment 99999 not found in environment 20003")
    assert (response.status_code, response.json()) == (404, expected)


def test_get_region_deployment__of_another_environment(api: Api) -> None:
    (deployment,) = api.body(DEPLOYMENTS)["_embedded"]["regionDeployments"]
    response = api.get(f"{environment(DEV)}/regionDeployments/{deployment['id']}")
    title = f"Region deployment {deployment['id']} not found in environment {DEV}"
    assert (response.status_code, response.json()) == (404, error(404, title))


def test_add_region_deployment__region_outside_program(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_region_deployment("10001", PROD, "jpn4")
    invalid = [("region", "jpn4 is not a region of program 10001")]
    assert (raised.value.status, raised.value.body) == (
        400,
        error(400, "Validation failed", invalid),
    )


def test_add_region_deployment__already_there(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_region_deployment("10001", PROD, "va7")
    expected = error(409, "Environment 20003 already runs in va7")
    assert (raised.value.status, raised.value.body) == (409, expected)


def test_add_region_deployment__unknown_environment(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_region_deployment("10001", "29999", "nld2")
    expected = error(404, "Environment 29999 not found in program 10001")
    assert (raised.value.status, raised.value.body) == (404, expected)


def test_add_environment__runs_in_its_region(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "second", ["nld2", "va7"])
    emulator.add_environment("10002", "20010", "prod", "prod")
    path = f"{environment('20010', '/api/program/10002')}/regionDeployments"
    assert _listed(api, path) == [("nld2", "PRIMARY", "COMPLETE")]
