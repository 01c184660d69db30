"""getEnvironments and getEnvironment."""

from __future__ import annotations

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import DEV, PROD, PROGRAM, REL, Api, environment, error


def test_get_environments(api: Api) -> None:
    body = api.body(f"{PROGRAM}/environments")
    listed = [
        (e["id"], e["type"], e["status"], e["region"]) for e in body["_embedded"]["environments"]
    ]
    assert body["_totalNumberOfItems"] == 3
    assert listed == [
        ("20001", "dev", "ready", "va7"),
        ("20002", "stage", "ready", "va7"),
        ("20003", "prod", "ready", "va7"),
    ]


def test_get_environments__type(api: Api) -> None:
    body = api.body(f"{PROGRAM}/environments?type=prod")
    assert [e["id"] for e in body["_embedded"]["environments"]] == [PROD]


def test_get_environments__invalid_type(api: Api) -> None:
    response = api.get(f"{PROGRAM}/environments?type=qa")
    assert response.status_code == 400
    reason = "must be one of dev, stage, prod, rde, preprod"
    assert response.json() == error(400, "Validation failed", [("type", reason)])


def test_get_environments__program_not_found(api: Api) -> None:
    response = api.get("/api/program/19999/environments")
    assert response.status_code == 404
    assert response.json() == error(404, "Program 19999 not found")


def test_get_environment(api: Api) -> None:
    body = api.body(environment(DEV))
    links = body["_links"]
    assert (body["id"], body["programId"], body["name"], body["status"]) == (
        DEV,
        "10001",
        "dev",
        "ready",
    )
    path = environment(DEV)
    host = "p10001-e20001.adobeaemcloud.com"
    console = "https://dev-console-ns-team-aem-cm-n20001.ethosva7.dev.adobeaemcloud.com/dc/"
    assert {rel.removeprefix(REL): link for rel, link in links.items()} == {
        "self": {"href": path},
        "program": {"href": PROGRAM},
        "advancedNetworking": {"href": f"{path}/advancedNetworking"},
        "variables": {"href": f"{path}/variables"},
        "logs": {
            "href": f"{path}/logs?service={{service}}&name={{name}}&days={{days}}",
            "templated": True,
        },
        "developerConsole": {"href": console},
        "author": {"href": f"https://author-{host}"},
        "publish": {"href": f"https://publish-{host}"},
        "preview": {"href": f"https://preview-{host}"},
    }


def test_get_environment__logs_not_emulated(api: Api) -> None:
    response = api.get(f"{environment(DEV)}/logs?service=author&name=aemerror&days=1")
    expected = error(501, "The emulator does not serve logs")
    assert (response.status_code, response.json()) == (501, expected)


def test_get_environment__not_found(api: Api) -> None:
    response = api.get(environment("29999"))
    assert response.status_code == 404
    assert response.json() == error(404, "Environment 29999 not found in program 10001")


def test_get_environment__of_another_program(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "other", ["va7"])
    response = api.get(environment(DEV, "/api/program/10002"))
    assert response.status_code == 404
    assert response.json() == error(404, "Environment 20001 not found in program 10002")


def test_get_environment__busy(api: Api, emulator: EmulatorControl) -> None:
    emulator.make_busy("10001", DEV, 0.3)
    assert api.status(environment(DEV)) == "updating"
    api.wait_for_status(environment(DEV), "ready")


def test_get_environment__added(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_environment("10001", "20010", "rde1", "rde", "nld2", status="creating")
    body = api.body(environment("20010"))
    assert (body["type"], body["region"], body["status"]) == ("rde", "nld2", "creating")
