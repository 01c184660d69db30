"""HAL navigation from the top: getPrograms, the tenant, getProgram and getProgramRegions."""

from __future__ import annotations

from typing import Any

import pytest

from aem_pulumi.emulator.auth import ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import DEV, PROD, PROGRAM, REL, STAGE, Api, error


def _hrefs(body: dict[str, Any]) -> dict[str, str]:
    """Each link relation of a resource, the common rel prefix left out, to its href."""
    return {rel.removeprefix(REL): value["href"] for rel, value in body["_links"].items()}


def test_get_programs(api: Api) -> None:
    body = api.body("/api/programs")
    assert (body["_totalNumberOfItems"], body["_links"]) == (1, {"self": {"href": "/api/programs"}})
    (program,) = body["_embedded"]["programs"]
    assert {k: v for k, v in program.items() if k != "_links"} == {
        "id": "10001",
        "name": "wknd",
        "enabled": True,
        "tenantId": "emulator",
        "status": "ready",
    }
    assert _hrefs(program) == {
        "self": PROGRAM,
        "tenant": "/api/tenant/emulator",
        "environments": f"{PROGRAM}/environments",
    }


def test_get_programs__added_program(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "second", ["nld2"])
    listed = api.body("/api/programs")["_embedded"]["programs"]
    assert [(p["id"], p["name"]) for p in listed] == [("10001", "wknd"), ("10002", "second")]


def test_get_programs__followed_to_environments(api: Api) -> None:
    (program,) = api.body("/api/programs")["_embedded"]["programs"]
    program = api.body(program["_links"]["self"]["href"])
    environments = api.body(program["_links"][f"{REL}environments"]["href"])
    assert [e["id"] for e in environments["_embedded"]["environments"]] == [DEV, STAGE, PROD]


def test_get_tenants(api: Api) -> None:
    body = api.body("/api/tenants")
    assert body["_totalNumberOfItems"] == 1
    assert body["_embedded"]["tenants"] == [
        {
            "id": "emulator",
            "imsOrgId": ORG_ID,
            "imsTenantId": "emulator",
            "description": "The Cloud Manager emulator's tenant",
            "status": "ready",
            "_links": {
                "self": {"href": "/api/tenant/emulator"},
                f"{REL}programs": {"href": "/api/tenant/emulator/programs"},
            },
        }
    ]


def test_get_tenant(api: Api) -> None:
    assert api.body("/api/tenant/emulator") == api.body("/api/tenants")["_embedded"]["tenants"][0]


def test_get_tenant__not_found(api: Api) -> None:
    response = api.get("/api/tenant/acme")
    assert (response.status_code, response.json()) == (404, error(404, "Tenant acme not found"))


def test_get_programs_for_tenant(api: Api) -> None:
    body = api.body("/api/tenant/emulator/programs")
    assert body["_embedded"] == api.body("/api/programs")["_embedded"]
    assert body["_links"] == {"self": {"href": "/api/tenant/emulator/programs"}}


def test_get_programs_for_tenant__not_found(api: Api) -> None:
    response = api.get("/api/tenant/acme/programs")
    assert (response.status_code, response.json()) == (404, error(404, "Tenant acme not found"))


def test_get_program(api: Api) -> None:
    body = api.body(PROGRAM)
    assert (body["id"], body["name"], body["type"]) == ("10001", "wknd", "aem_cloud_service")
    assert (body["tenantId"], body["imsOrgId"], body["status"]) == ("emulator", ORG_ID, "ready")
    assert body["capabilities"] == {"sandbox": False}
    assert _hrefs(body) == {
        "self": PROGRAM,
        "tenant": "/api/tenant/emulator",
        "environments": f"{PROGRAM}/environments",
        "regions": f"{PROGRAM}/regions",
        "networkInfrastructures": f"{PROGRAM}/networkInfrastructures",
        "pipelines": f"{PROGRAM}/pipelines",
        "repositories": f"{PROGRAM}/repositories",
        "ipAllowlists": f"{PROGRAM}/ipAllowlists",
        "certificates": f"{PROGRAM}/certificates",
    }


@pytest.mark.parametrize(
    "collection", ["pipelines", "repositories", "ipAllowlists", "certificates"]
)
def test_get_program__relation_not_emulated(api: Api, collection: str) -> None:
    response = api.get(f"{PROGRAM}/{collection}")
    expected = error(501, f"The emulator does not serve {collection}")
    assert (response.status_code, response.json()) == (501, expected)


def test_get_program__sandbox(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "sandbox", ["va7"], sandbox=True)
    assert api.body("/api/program/10002")["capabilities"] == {"sandbox": True}


def test_get_program__not_found(api: Api) -> None:
    response = api.get("/api/program/19999")
    assert response.status_code == 404
    assert response.json() == error(404, "Program 19999 not found")


def test_get_program_regions(api: Api) -> None:
    body = api.body(f"{PROGRAM}/regions")
    assert body["_totalNumberOfItems"] == 2
    assert body["_embedded"]["regions"] == [{"name": "va7"}, {"name": "nld2"}]


def test_get_program_regions__not_found(api: Api) -> None:
    response = api.get("/api/program/19999/regions")
    assert response.status_code == 404
    assert response.json() == error(404, "Program 19999 not found")


def test_get_program__unknown_path(api: Api) -> None:
    response = api.get(f"{PROGRAM}/unknown")
    assert (response.status_code, response.json()) == (404, error(404, "Not Found"))


def test_get_program__method_not_allowed(api: Api) -> None:
    response = api.call("DELETE", PROGRAM)
    assert (response.status_code, response.json()) == (405, error(405, "Method Not Allowed"))
