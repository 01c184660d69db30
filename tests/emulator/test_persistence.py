"""`--state`: everything accepted survives a crash, and operations under way end after it."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings

from .conftest import DEV, INFRASTRUCTURES, PROD, Api, environment, infrastructure

SCRIPT = Path(sys.executable).with_name("aem-cloudmanager-emulator")


def _command() -> list[str]:
    """The console script, or the module when the script is not installed beside Python."""
    return [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "aem_pulumi.emulator"]


@contextmanager
def _emulator_process(state: Path, *options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """The console script on a free port with `--state`; killed on exit if still running."""
    process = subprocess.Popen(
        [*_command(), "--port", "0", "--state", str(state), *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith("listening on http://127.0.0.1:"), line
        yield process, line.removeprefix("listening on ")
    finally:
        process.kill()
        process.wait(timeout=10)


def _api(credentials: dict[str, str], url: str) -> Api:
    """An API session on another emulator."""
    return Api({**credentials, "api_url": url, "ims_url": url})


@pytest.mark.timeout(60)
def test_state__survives_sigkill(tmp_path: Path, credentials: dict[str, str]) -> None:
    state = tmp_path / "state.sqlite"
    slow = ("--infrastructure-create-seconds", "4")
    with _emulator_process(state, *slow) as (process, url):
        api = _api(credentials, url)
        created = api.create_infrastructure()
        api.set_variables([{"name": "EMAIL_USERNAME", "value": "apikey"}])
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    assert created["status"] == "creating"
    with _emulator_process(state, *slow) as (_, url):
        api = _api(credentials, url)
        found = api.body(infrastructure(created["id"]))
        assert (found["id"], found["created"]) == (created["id"], created["created"])
        assert found["status"] in ("creating", "ready")
        api.wait_for_status(infrastructure(created["id"]), "ready")
        assert api.variables()[0]["value"] == "apikey"


def test_state__operation_ends_while_stopped(tmp_path: Path, credentials: dict[str, str]) -> None:
    state = tmp_path / "state.sqlite"
    timings = Timings.zero().updated({"infrastructure_create": 0.3})
    with EmulatorServer(state=state, timings=timings) as server:
        created = _api(credentials, server.url).create_infrastructure()
    time.sleep(0.4)  # the operation's end passes while no server runs
    with EmulatorServer(state=state, timings=timings) as server:
        api = _api(credentials, server.url)
        assert api.status(infrastructure(created["id"])) == "ready"


def test_state__tokens_survive_restart(tmp_path: Path, credentials: dict[str, str]) -> None:
    state = tmp_path / "state.sqlite"
    with EmulatorServer(state=state, timings=Timings.zero()) as server:
        api = _api(credentials, server.url)
    with EmulatorServer(state=state, timings=Timings.zero()) as server:
        api.url = server.url
        assert api.status(environment(DEV)) == "ready"


def test_state__in_memory_without_file(credentials: dict[str, str]) -> None:
    with EmulatorServer(timings=Timings.zero()) as server:
        _api(credentials, server.url).create_infrastructure()
    with EmulatorServer(timings=Timings.zero()) as server:
        assert _api(credentials, server.url).body(INFRASTRUCTURES)["_totalNumberOfItems"] == 0


def test_state__region_deployments_survive_restart(
    tmp_path: Path, credentials: dict[str, str]
) -> None:
    state = tmp_path / "state.sqlite"
    with EmulatorServer(state=state, timings=Timings.zero()) as server:
        EmulatorControl(server.url).add_region_deployment("10001", PROD, "nld2")
    with EmulatorServer(state=state, timings=Timings.zero()) as server:
        api = _api(credentials, server.url)
        api.create_infrastructure()
        assert api.create_infrastructure(region="nld2")["isPrimaryRegion"] is False


def test_state__file_older_than_region_deployments(
    tmp_path: Path, credentials: dict[str, str]
) -> None:
    state = tmp_path / "state.sqlite"
    with EmulatorServer(state=state, timings=Timings.zero()):
        pass
    with sqlite3.connect(state) as connection:
        key = f"environments/{PROD}"
        (body,) = connection.execute("SELECT body FROM documents WHERE key = ?", (key,)).fetchone()
        old = {k: v for k, v in json.loads(body).items() if k != "region_deployments"}
        connection.execute("UPDATE documents SET body = ? WHERE key = ?", (json.dumps(old), key))
    connection.close()
    with EmulatorServer(state=state, timings=Timings.zero()) as server:
        api = _api(credentials, server.url)
        listed = api.body(f"{environment(PROD)}/regionDeployments")["_embedded"]
        regions = [(d["id"], d["region"], d["type"]) for d in listed["regionDeployments"]]
        assert regions == [(PROD, "va7", "PRIMARY")]
