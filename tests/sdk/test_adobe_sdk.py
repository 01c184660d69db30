"""Adobe's own Cloud Manager JS SDK, unmodified, against the emulator.

Every call goes through the SDK's HAL navigation: `GET /api/programs`, the program's `self`
link, its `environments` link, the environment's `variables` link.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import Sdk

PROGRAM, DEV, STAGE, PROD = "10001", "20001", "20002", "20003"
REL = "http://ns.adobe.com/adobecloud/rel/"
SDK = "[CloudManagerSDK"  # how the SDK's error messages begin
STRINGS_AND_SECRETS = [
    {"name": "MAIL_HOST", "value": "smtp.example.com"},
    {"name": "MAIL_PASSWORD", "value": "s3cr3t-all", "type": "secretString"},
    {"name": "MAIL_HOST", "value": "smtp-publish.example.com", "service": "publish"},
    {
        "name": "MAIL_PASSWORD",
        "value": "s3cr3t-author",
        "type": "secretString",
        "service": "author",
    },
]


def _url(credentials: dict[str, str], path: str) -> str:
    """The URL the SDK names in its messages."""
    return f"{credentials['api_url']}{path}"


def _listed(
    name: str, service: str, type: str = "string", value: str | None = None
) -> dict[str, Any]:
    """A variable as the API lists it: a secret without value, all services as `""`."""
    shown = {"name": name} | ({} if value is None else {"value": value})
    return shown | {"type": type, "service": service, "status": "ready"}


def _paths(emulator: EmulatorControl) -> list[tuple[str, str]]:
    """The API calls received (method, path), IMS left out."""
    return [(r["method"], r["path"]) for r in emulator.requests() if r["path"].startswith("/api/")]


def test_list_programs(sdk: Sdk) -> None:
    (program,) = sdk.call("listPrograms")
    assert (program["id"], program["name"], program["enabled"]) == (PROGRAM, "wknd", True)
    assert program["_links"]["self"] == {"href": f"/api/program/{PROGRAM}"}


def test_list_programs__added_program(sdk: Sdk, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "second", ["nld2"])
    assert [p["id"] for p in sdk.call("listPrograms")] == [PROGRAM, "10002"]


def test_list_environments(sdk: Sdk) -> None:
    listed = [(e["id"], e["type"], e["status"]) for e in sdk.call("listEnvironments", PROGRAM)]
    assert listed == [(DEV, "dev", "ready"), (STAGE, "stage", "ready"), (PROD, "prod", "ready")]


def test_list_environments__follows_links_from_the_top(sdk: Sdk, emulator: EmulatorControl) -> None:
    emulator.clear_requests()
    sdk.call("listEnvironments", PROGRAM)
    assert _paths(emulator) == [
        ("GET", "/api/programs"),
        ("GET", f"/api/program/{PROGRAM}"),
        ("GET", f"/api/program/{PROGRAM}/environments"),
    ]


def test_list_environments__added_environment(sdk: Sdk, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "second", ["nld2"])
    emulator.add_environment("10002", "20010", "prod", "prod")
    listed = [(e["id"], e["region"]) for e in sdk.call("listEnvironments", "10002")]
    assert listed == [("20010", "nld2")]


def test_list_environments__unknown_program(sdk: Sdk) -> None:
    assert sdk.error("listEnvironments", "19999") == {
        "code": "ERROR_FIND_PROGRAM",
        "message": "[CloudManagerSDK:ERROR_FIND_PROGRAM] Could not find program 19999",
    }


def test_set_environment_variables(sdk: Sdk) -> None:
    assert sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS) is True
    assert sdk.call("getEnvironmentVariables", PROGRAM, DEV) == [
        _listed("MAIL_HOST", "", value="smtp.example.com"),
        _listed("MAIL_HOST", "publish", value="smtp-publish.example.com"),
        _listed("MAIL_PASSWORD", "", "secretString"),
        _listed("MAIL_PASSWORD", "author", "secretString"),
    ]


def test_set_environment_variables__only_the_dev_environment(sdk: Sdk) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    assert sdk.call("getEnvironmentVariables", PROGRAM, STAGE) == []


def test_get_environment_variables__secrets_without_values(sdk: Sdk) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    secrets = [
        v for v in sdk.call("getEnvironmentVariables", PROGRAM, DEV) if "PASSWORD" in v["name"]
    ]
    assert [("value" in v, v["status"]) for v in secrets] == [(False, "ready"), (False, "ready")]


def test_set_environment_variables__delete(sdk: Sdk) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    deletions = [{**v, "value": ""} for v in STRINGS_AND_SECRETS]
    assert sdk.call("setEnvironmentVariables", PROGRAM, DEV, deletions) is True
    assert sdk.call("getEnvironmentVariables", PROGRAM, DEV) == []


def test_set_environment_variables__delete_one_service(sdk: Sdk) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    deletion = {"name": "MAIL_HOST", "value": "", "service": "publish"}
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, [deletion])
    left = [(v["name"], v["service"]) for v in sdk.call("getEnvironmentVariables", PROGRAM, DEV)]
    assert left == [("MAIL_HOST", ""), ("MAIL_PASSWORD", ""), ("MAIL_PASSWORD", "author")]


def test_set_environment_variables__invalid_name(sdk: Sdk, credentials: dict[str, str]) -> None:
    url = _url(credentials, f"/api/program/{PROGRAM}/environment/{DEV}/variables")
    reason = "String should match pattern '^[a-zA-Z_][a-zA-Z_0-9]*$'"
    assert sdk.error("setEnvironmentVariables", PROGRAM, DEV, [{"name": "1X", "value": "1"}]) == {
        "code": "ERROR_SET_VARIABLES",
        "message": (
            f"[CloudManagerSDK:ERROR_SET_VARIABLES] Cannot set variables: {url} (400 BAD REQUEST)"
            f" - Validation Error(s): {reason}"
        ),
    }


def test_set_environment_variables__secret_delete_without_type(
    sdk: Sdk, credentials: dict[str, str]
) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    url = _url(credentials, f"/api/program/{PROGRAM}/environment/{DEV}/variables")
    deletion = [{"name": "MAIL_PASSWORD", "value": ""}]
    reason = "MAIL_PASSWORD is a secretString: send type secretString to delete it"
    assert sdk.error("setEnvironmentVariables", PROGRAM, DEV, deletion) == {
        "code": "ERROR_SET_VARIABLES",
        "message": (
            f"[CloudManagerSDK:ERROR_SET_VARIABLES] Cannot set variables: {url} (400 BAD REQUEST)"
            f" - Validation Error(s): {reason}"
        ),
    }


def test_set_environment_variables__busy_environment(
    sdk: Sdk, emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    emulator.make_busy(PROGRAM, DEV, 60)
    url = _url(credentials, f"/api/program/{PROGRAM}/environment/{DEV}/variables")
    # The SDK shows only a `message` of an `application/json` error body, and the spec's
    # BadRequestError has a `title` instead (aio-lib-cloudmanager src/index.js, `_doRequest`).
    assert sdk.error("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS) == {
        "code": "ERROR_SET_VARIABLES",
        "message": f"{SDK}:ERROR_SET_VARIABLES] Cannot set variables: {url} (409 CONFLICT)",
    }


def test_set_environment_variables__unknown_environment(sdk: Sdk) -> None:
    assert sdk.error("setEnvironmentVariables", PROGRAM, "29999", STRINGS_AND_SECRETS) == {
        "code": "ERROR_FIND_ENVIRONMENT",
        "message": f"{SDK}:ERROR_FIND_ENVIRONMENT] Could not find environment 29999 for program"
        " 10001.",
    }


def test_get_developer_console_url(sdk: Sdk) -> None:
    environment = sdk.call("listEnvironments", PROGRAM)[0]
    console = environment["_links"][f"{REL}developerConsole"]["href"]
    assert sdk.call("getDeveloperConsoleUrl", PROGRAM, DEV) == console


def test_list_available_log_options(sdk: Sdk) -> None:
    assert sdk.call("listAvailableLogOptions", PROGRAM, DEV) == []


def test_list_pipelines__not_emulated(sdk: Sdk, credentials: dict[str, str]) -> None:
    url = _url(credentials, f"/api/program/{PROGRAM}/pipelines")
    assert sdk.error("listPipelines", PROGRAM) == {
        "code": "ERROR_LIST_PIPELINES",
        "message": f"{SDK}:ERROR_LIST_PIPELINES] Cannot retrieve pipelines: {url}"
        " (501 NOT IMPLEMENTED)",
    }


def test_download_logs__not_emulated(sdk: Sdk, credentials: dict[str, str], tmp_path: Any) -> None:
    path = f"/api/program/{PROGRAM}/environment/{DEV}/logs?service=author&name=aemerror&days=1"
    args = (PROGRAM, DEV, "author", "aemerror", 1, str(tmp_path))
    assert sdk.error("downloadLogs", *args) == {
        "code": "ERROR_GET_LOGS",
        "message": f"{SDK}:ERROR_GET_LOGS] Cannot get logs: {_url(credentials, path)}"
        " (501 NOT IMPLEMENTED).",
    }


def test_suite__fails_without_node(tmp_path: Any) -> None:
    # Without Node.js the suite must fail, naming what to install, never skip.
    env = {**os.environ, "PATH": str(tmp_path)}
    test = f"{Path(__file__)}::test_list_programs"
    completed = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", test],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).parents[2],
        timeout=300,
        check=False,
    )
    assert completed.returncode == 1, completed.stdout
    assert "Node.js (18 or newer) is not on PATH" in completed.stdout
    assert "1 error" in completed.stdout and "skipped" not in completed.stdout
