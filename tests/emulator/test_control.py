"""The control plane (`/__emulator/`) through `EmulatorControl`."""

from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from aem_pulumi.emulator.control_client import EmulatorControl, EmulatorControlError

from .conftest import DEV, INFRASTRUCTURES, PROGRAM, Api, environment, error

DEFAULT_TIMINGS = {
    "infrastructure_create": 6.0,
    "infrastructure_create_vpn": 10.0,
    "infrastructure_update": 4.0,
    "infrastructure_delete": 4.0,
    "environment_update": 4.0,
    "variables_update": 3.0,
}


def _control_error(raised: pytest.ExceptionInfo[EmulatorControlError]) -> tuple[int, object]:
    """The status and body of a refused control call."""
    return raised.value.status, raised.value.body


def test_reset(api: Api, emulator: EmulatorControl) -> None:
    api.create_infrastructure()
    emulator.add_program("10002", "other", ["va7"])
    emulator.inject_fault("http", status=503, path="^/nothing")
    emulator.set_timings(variables_update=9)
    emulator.reset()
    assert api.body(INFRASTRUCTURES)["_totalNumberOfItems"] == 0
    assert api.get("/api/program/10002").status_code == 404
    assert emulator.faults() == []
    assert emulator.timings()["variables_update"] == 0
    assert [call["path"] for call in emulator.requests()] == [INFRASTRUCTURES, "/api/program/10002"]


def test_reset__keeps_tokens(api: Api, emulator: EmulatorControl) -> None:
    emulator.reset()
    assert api.get(PROGRAM).status_code == 200


def test_add_program(api: Api, emulator: EmulatorControl) -> None:
    added = emulator.add_program("10002", "second", ["nld2", "va7"])
    assert added == {"id": "10002", "name": "second", "regions": ["nld2", "va7"], "sandbox": False}
    regions = api.body("/api/program/10002/regions")["_embedded"]["regions"]
    assert regions == [{"name": "nld2"}, {"name": "va7"}]


def test_add_program__generated_id(api: Api, emulator: EmulatorControl) -> None:
    added = emulator.add_program(name="generated")
    assert api.body(f"/api/program/{added['id']}")["name"] == "generated"


def test_add_program__duplicate(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_program("10001", "again", ["va7"])
    assert _control_error(raised) == (409, error(409, "Program 10001 already exists"))


def test_add_program__invalid(emulator: EmulatorControl) -> None:
    response = requests.post(f"{emulator.url}/__emulator/programs", json={"name": "x"}, timeout=10)
    assert (response.status_code, response.json()) == (
        400,
        error(400, "Validation failed", missing=["regions"]),
    )


def test_add_environment(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "second", ["nld2"])
    added = emulator.add_environment("10002", "20010", "prod", "prod")
    assert (added["id"], added["region"], added["status"]) == ("20010", "nld2", "ready")
    assert api.body(environment("20010", "/api/program/10002"))["type"] == "prod"


def test_add_environment__unknown_program(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_environment("19999", "20010", "dev", "dev")
    assert _control_error(raised) == (404, error(404, "Program 19999 not found"))


def test_add_environment__region_outside_program(emulator: EmulatorControl) -> None:
    with pytest.raises(EmulatorControlError) as raised:
        emulator.add_environment("10001", "20010", "dev", "dev", region="jpn4")
    invalid = [("region", "jpn4 is not a region of program 10001")]
    assert _control_error(raised) == (400, error(400, "Validation failed", invalid))


def test_make_busy(api: Api, emulator: EmulatorControl) -> None:
    assert emulator.make_busy("10001", DEV, 30)["status"] == "updating"
    assert api.status(environment(DEV)) == "updating"


def test_get_timings(emulator: EmulatorControl) -> None:
    assert emulator.timings() == dict.fromkeys(DEFAULT_TIMINGS, 0.0)


def test_set_timings(emulator: EmulatorControl) -> None:
    changed = emulator.set_timings(environment_update=0.5)
    assert changed == {**dict.fromkeys(DEFAULT_TIMINGS, 0.0), "environment_update": 0.5}
    assert emulator.timings() == changed


@pytest.mark.parametrize(
    ("changes", "invalid"),
    [
        (
            {"environment_update": -1},
            ("environment_update", "Input should be greater than or equal to 0"),
        ),
        ({"pipeline": 1}, ("pipeline", "Extra inputs are not permitted")),
    ],
)
def test_set_timings__invalid(
    emulator: EmulatorControl, changes: dict[str, float], invalid: tuple[str, str]
) -> None:
    response = requests.put(f"{emulator.url}/__emulator/timings", json=changes, timeout=10)
    assert (response.status_code, response.json()) == (
        400,
        error(400, "Validation failed", [invalid]),
    )


def test_inject_fault(emulator: EmulatorControl) -> None:
    fault_id = emulator.inject_fault("http", status=503, method="GET", count=3)
    assert emulator.faults() == [
        {"id": fault_id, "kind": "http", "status": 503, "method": "GET", "count": 3, "remaining": 3}
    ]


@pytest.mark.parametrize(
    ("body", "invalid"),
    [
        ({"kind": "http"}, ("status", "required when kind is http")),
        ({"kind": "fail"}, ("operation", "required when kind is fail")),
        ({"kind": "drop", "count": 2, "rate": 0.5}, ("rate", "give count or rate, not both")),
        ({"kind": "drop", "path": "("}, ("path", "not a valid regular expression")),
    ],
)
def test_inject_fault__invalid(
    emulator: EmulatorControl, body: dict[str, object], invalid: tuple[str, str]
) -> None:
    response = requests.post(f"{emulator.url}/__emulator/faults", json=body, timeout=10)
    assert (response.status_code, response.json()) == (
        400,
        error(400, "Validation failed", [invalid]),
    )


def test_clear_faults(api: Api, emulator: EmulatorControl) -> None:
    emulator.inject_fault("http", status=503, rate=1.0)
    emulator.clear_faults()
    assert emulator.faults() == []
    assert api.get(PROGRAM).status_code == 200


def test_control_plane__never_faulted_nor_logged(emulator: EmulatorControl) -> None:
    emulator.inject_fault("drop", rate=1.0)
    emulator.set_timings(variables_update=1)
    assert emulator.faults()[0]["kind"] == "drop"
    assert emulator.requests() == []


def test_requests(api: Api, emulator: EmulatorControl) -> None:
    api.get(PROGRAM)
    api.get("/api/program/19999")
    logged = emulator.requests()
    assert [(c["method"], c["path"], c["status"], c["fault"]) for c in logged] == [
        ("POST", "/ims/token/v3", 200, None),
        ("GET", PROGRAM, 200, None),
        ("GET", "/api/program/19999", 404, None),
    ]
    assert logged[0]["time"] <= logged[1]["time"] <= logged[2]["time"]


def test_clear_requests(api: Api, emulator: EmulatorControl) -> None:
    emulator.clear_requests()
    api.get(PROGRAM)
    assert [c["path"] for c in emulator.requests()] == [PROGRAM]


def test_revoke_tokens(api: Api, emulator: EmulatorControl) -> None:
    assert emulator.revoke_tokens() >= 1
    response = api.get(PROGRAM)
    assert (response.status_code, response.json()) == (
        401,
        {"error_code": "401013", "message": "Oauth token is not valid"},
    )


def test_console_script__help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "aem_pulumi.emulator", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    assert "--infrastructure-create-seconds SECONDS" in result.stdout
    assert "--busy-status {409,400}" in result.stdout
