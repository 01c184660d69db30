"""getProgram and getProgramRegions."""

from __future__ import annotations

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import PROGRAM, REL, Api, error


def test_get_program(api: Api) -> None:
    body = api.body(PROGRAM)
    assert (body["id"], body["name"], body["type"]) == ("10001", "wknd", "aem_cloud_service")
    assert body["capabilities"] == {"sandbox": False}
    assert body["_links"]["self"]["href"] == PROGRAM
    assert body["_links"][f"{REL}environments"]["href"] == f"{PROGRAM}/environments"


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
    response = api.get(f"{PROGRAM}/pipelines")
    assert (response.status_code, response.json()) == (404, error(404, "Not Found"))


def test_get_program__method_not_allowed(api: Api) -> None:
    response = api.call("DELETE", PROGRAM)
    assert (response.status_code, response.json()) == (405, error(405, "Method Not Allowed"))
