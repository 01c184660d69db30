"""Reliability with the real Pulumi CLI: faults, interruptions, bad input, concurrency, secrets.

Every case drives `pulumi` on a small generated program (tests/e2e/reliability_programs.py)
against the emulator, breaks something with the emulator's fault injection (or kills a process)
and judges the outcome on the emulator's state and request log:

1. bursts of 429 with `Retry-After`: `up` succeeds, each retry waited the delay asked for;
2. 500, 503 and dropped connections on reads and on every kind of write (POST, PUT, PATCH,
   DELETE): `up`, update and destroy succeed, no infrastructure is created twice;
3. asynchronous operations ending `failed`: `up` fails naming the resource and the API's details,
   the state stays consistent, the next `up` recovers;
4. the emulator SIGKILLed while `up` waits, restarted from its state file on the same port;
5. `pulumi up` SIGKILLed mid-operation, then the README's recovery, with no API call by hand;
6. an environment made busy from outside (busy writes answered 409, or 400) during `up`;
7. 20 port forwards and 20 secrets on one environment and 5 + 5 on another in one `up`, beside
   foreign rules and variables that stay untouched;
8. 47 invalid configurations, each refused at `pulumi preview` naming the input, no API call;
9. unknown environments and programs, refused at `up` before any write;
10. last: nothing any case printed or stored holds the client secret, a secret value or a token.

The module runs its own emulator (its state in a SQLite file, where the digests of the tokens it
issued can be read back), every operation taking FAST seconds unless a case says otherwise.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from aem_pulumi.client import ClientSettings, CloudManagerClient
from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings
from aem_pulumi.models.advanced_networking import AdvancedNetworkingUpdate, PortForward
from aem_pulumi.models.network import NetworkInfrastructure
from aem_pulumi.models.variables import VariableUpdate

from . import reliability_programs as programs
from .harness import PulumiCLI, PulumiCLIFactory
from .reliability_programs import DEV, PROGRAM_ID, STAGE, Rule, Spec
from .test_examples import port_forwards, variables, wait_environment_ready, writes

FAST = 0.3
"""Seconds every asynchronous emulator operation takes unless a case sets its own."""
UP = ("up", "--yes", "--non-interactive", "--skip-preview")
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
POLL = 0.05
"""Seconds between looks at the emulator's request log while a background `up` runs."""
HAS_PROC = Path("/proc/self/stat").exists()


# --- what the suite exposed, for the final leak check -------------------------------------------


@dataclass
class Exposure:
    """Everything the suite printed or stored, the secrets it used, and its figures."""

    clis: list[PulumiCLI] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    secret_values: set[str] = field(default_factory=lambda: {CLIENT_SECRET})
    token_stores: list[Path] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)
    bad_inputs: int = 0
    kills: int = 0

    def keep(self, label: str, text: str) -> None:
        """Keep a text for the leak check, under a label that says where it came from."""
        self.texts[f"{label} #{len(self.texts)}"] = text

    def log(self, entries: list[dict[str, Any]]) -> None:
        """Keep an emulator request log; count the faults it shows by kind."""
        self.keep("emulator request log", json.dumps(entries))
        for entry in entries:
            if entry["fault"]:
                self.faults[entry["fault"]] = self.faults.get(entry["fault"], 0) + 1


@pytest.fixture(scope="module")
def exposure() -> Exposure:
    return Exposure()


def fast_timings(**seconds: float) -> Timings:
    """Every operation FAST seconds, except those given."""
    return Timings.model_validate({**dict.fromkeys(Timings.model_fields, FAST), **seconds})


@pytest.fixture(scope="module")
def module_server(
    tmp_path_factory: pytest.TempPathFactory, exposure: Exposure
) -> Iterator[EmulatorServer]:
    """This module's emulator on 127.0.0.1 (a free port), its state (token digests) in a file."""
    state = tmp_path_factory.mktemp("emulator") / "emulator.sqlite"
    exposure.token_stores.append(state)
    with EmulatorServer(host="127.0.0.1", port=0, state=state, timings=fast_timings()) as server:
        yield server


@dataclass
class CloudManager:
    """The emulator a case runs against: its URL, control plane and an API client to inspect it."""

    url: str
    control: EmulatorControl
    api: CloudManagerClient


def cloud_manager_at(url: str) -> CloudManager:
    settings = {"api_url": url, "ims_url": url, "client_id": CLIENT_ID}
    settings |= {"client_secret": CLIENT_SECRET, "org_id": ORG_ID}
    return CloudManager(url, EmulatorControl(url), CloudManagerClient(ClientSettings(**settings)))


@pytest.fixture
def cm(module_server: EmulatorServer, exposure: Exposure) -> Iterator[CloudManager]:
    """The module's emulator back to the seed, FAST timings; its request log kept afterwards."""
    cloud = cloud_manager_at(module_server.url)
    cloud.control.reset()
    yield cloud
    exposure.log(cloud.control.requests())
    cloud.control.clear_faults()


# --- stacks -------------------------------------------------------------------------------------


def new_stack(
    factory: PulumiCLIFactory,
    workdir: Path,
    url: str,
    spec: Spec,
    exposure: Exposure,
    poll_interval: float = 0.1,
) -> PulumiCLI:
    """A stack `rel` of the generated project in `workdir`, pointed at the emulator at `url`."""
    project = programs.write_project(workdir / "project", spec)
    env = {"AEM_CLIENT_SECRET": CLIENT_SECRET, "AEM_POLL_INTERVAL": str(poll_interval)}
    cli = factory(project, env=env, state_dir=workdir / "state")
    exposure.clis.append(cli)
    cli.stack_init("rel")
    settings = {
        "aem:apiUrl": url,
        "aem:imsUrl": url,
        "aem:clientId": CLIENT_ID,
        "aem:orgId": ORG_ID,
    }
    plain = [arg for key, value in settings.items() for arg in ("--plaintext", f"{key}={value}")]
    cli.run("config", "set-all", *plain)
    write_spec(cli, spec, exposure)
    return cli


def write_spec(cli: PulumiCLI, spec: Spec, exposure: Exposure) -> None:
    """Give the program `spec`: resources.json, and the secret values through stdin."""
    spec.write(cli.project_dir)
    exposure.secret_values.update(spec.secrets.values())
    cli.config_set("secretValues", json.dumps(spec.secrets), secret=True)


def failed_run(cli: PulumiCLI, *args: str) -> str:
    """Run a command that must fail; answers its output (stdout and stderr)."""
    result = cli.run(*args, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"`pulumi {' '.join(args)}` succeeded:\n{output}"
    return output


def state_of(cli: PulumiCLI) -> tuple[set[str], list[dict[str, Any]]]:
    """The names of the stack's custom resources, and its pending operations."""
    deployment = cli.export()["deployment"]
    names = {
        r["urn"].rsplit("::", 1)[1]
        for r in deployment.get("resources") or []
        if r.get("custom") and not r["type"].startswith("pulumi:providers:")
    }
    return names, list(deployment.get("pending_operations") or [])


def secret_names(cm: CloudManager, environment_id: str) -> dict[str, str]:
    """The environment's secretString variables: name -> status."""
    found = variables(cm.api, environment_id)
    return {
        name: status or "" for name, (kind, _, status) in found.items() if kind == "secretString"
    }


def infrastructures(cm: CloudManager, program_id: str = PROGRAM_ID) -> list[tuple[str, str]]:
    """The program's infrastructures as (kind, status)."""
    return [(i.kind, i.status or "") for i in cm.api.list_network_infrastructures(program_id)]


def faults_left(cm: CloudManager) -> list[dict[str, Any]]:
    """The armed faults that have not fired (count faults disappear once spent)."""
    return cm.control.faults()


def secret_value(label: str) -> str:
    """A unique secret value, easy to find in any text."""
    return f"rel-{label}-{os.urandom(6).hex()}"


# --- background runs and kills ------------------------------------------------------------------


class BackgroundUp:
    """`pulumi up` in the background, so a case can break something while it runs."""

    def __init__(self, cli: PulumiCLI, output: Path) -> None:
        self.output = output
        self._file = output.open("w")
        self.process = subprocess.Popen(
            ["pulumi", *UP],
            cwd=cli.project_dir,
            env=cli.env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float = 180) -> tuple[int, str]:
        """The exit code and the output, once the run ends."""
        code = self.process.wait(timeout=timeout)
        self._file.close()
        return code, self.output.read_text()

    def kill(self) -> None:
        """SIGKILL the CLI and every process it started (plugins run in process groups of their own)."""
        kill_tree(self.process.pid)
        self.process.wait(timeout=30)
        self._file.close()


def kill_tree(root: int) -> None:
    """Stop `root` and its descendants (so none can start another), then SIGKILL them all."""
    stopped: list[int] = []
    for _ in range(5):  # a process may have been starting a child: look again until stable
        found = [pid for pid in [root, *_descendants(root)] if pid not in stopped]
        if not found:
            break
        for pid in found:
            _signal(pid, signal.SIGSTOP)
        stopped += found
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _signal(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.kill(pid, signum)


def wait_for_request(
    control: EmulatorControl, method: str, path: str, background: BackgroundUp, nth: int = 1
) -> None:
    """Wait (at most 60 s) until the emulator received the `nth` `method` on a path matching `path`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and background.running():
        seen = [
            r for r in control.requests() if r["method"] == method and re.search(path, r["path"])
        ]
        if len(seen) >= nth:
            return
        time.sleep(POLL)
    raise AssertionError(
        f"`pulumi up` never sent {method} {path} (running: {background.running()})"
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmulatorProcess:
    """`python -m aem_pulumi.emulator` on a fixed port with a state file: it can be SIGKILLed."""

    def __init__(self, port: int, state: Path, timings: Timings, log: Path) -> None:
        self.port, self.state, self.timings, self.log = port, state, timings, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> EmulatorProcess:
        flags = [
            arg
            for name, seconds in self.timings.model_dump().items()
            for arg in (f"--{name.replace('_', '-')}-seconds", str(seconds))
        ]
        command = [sys.executable, "-m", "aem_pulumi.emulator", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--state", str(self.state), *flags]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # printed once bound; "" if it exited
        assert line.strip() == f"listening on {self.url}", f"emulator did not start: {line!r}"
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush; the state file is all that survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)


# --- 1. rate limiting -----------------------------------------------------------------------------


@pytest.mark.e2e
def test_up__rate_limited_bursts_honour_retry_after(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    spec = Spec()
    programs.network(spec)
    programs.networking(spec, DEV)
    rules = programs.port_forwards(spec, DEV, 3)
    names = programs.secrets(spec, DEV, [secret_value(f"rate-{i}") for i in range(3)])
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)
    bursts = {  # (method, path): (count, Retry-After seconds)
        ("POST", "^/ims/token/v3$"): (2, 1),
        ("POST", "/networkInfrastructures$"): (2, 2),
        ("GET", f"/environment/{DEV}$"): (3, 1),
        ("PUT", "/advancedNetworking$"): (2, 1),
        ("PATCH", "/variables$"): (3, 1),
    }
    for (method, path), (count, retry_after) in bursts.items():
        cm.control.inject_fault(
            "http", status=429, retry_after=retry_after, method=method, path=path, count=count
        )
    # Longer than the client's 6 attempts: the wait for the infrastructure reads again.
    cm.control.inject_fault(
        "http",
        status=429,
        retry_after=0,
        method="GET",
        path=r"/networkInfrastructure/\d+$",
        count=8,
    )

    output = cli.up().stdout

    assert faults_left(cm) == []  # every 429 was answered, and survived
    assert infrastructures(cm) == [("flexiblePortEgress", "ready")]
    assert port_forwards(cm.api, DEV) == sorted(rules)
    assert set(secret_names(cm, DEV)) == set(names)
    # Each write (and token request) waited at least its Retry-After before it was sent again;
    # they have one caller at a time, so the next call on the same path is the retry.
    gaps = retry_gaps(cm.control.requests(), bursts)
    assert len(gaps) == 2 + 2 + 2 + 3
    assert all(gap >= retry_after - 0.05 for _, gap, retry_after in gaps), gaps
    assert "failed with 429" in output and "retry 1 of 5 in 2.0s" in output
    assert "AdvancedNetworking 'network': cannot read network infrastructure" in output
    cli.preview(expect_no_changes=True)


def retry_gaps(
    log: list[dict[str, Any]], bursts: dict[tuple[str, str], tuple[int, int]]
) -> list[tuple[str, float, int]]:
    """For each 429 on a write or token call: (path, seconds until it was sent again, Retry-After)."""
    gaps = []
    for index, entry in enumerate(log):
        call = (entry["method"], entry["path"])
        if entry["status"] != 429 or entry["method"] == "GET":
            continue
        retry_after = next(
            seconds
            for (method, pattern), (_, seconds) in bursts.items()
            if method == call[0] and re.search(pattern, call[1])
        )
        retry = next(r for r in log[index + 1 :] if (r["method"], r["path"]) == call)
        gaps.append((call[1], retry["time"] - entry["time"], retry_after))
    return gaps


# --- 2. server errors and dropped connections ------------------------------------------------------

SERVER_FAULTS = ({"kind": "http", "status": 500}, {"kind": "http", "status": 503}, {"kind": "drop"})
"""One burst: a 500, a 503 and a connection dropped before the call is carried out."""
VPN_PROGRAM, VPN_PRODUCTION = "10002", "20021"


def arm_bursts(cm: CloudManager, calls: list[tuple[str, str]]) -> None:
    """A SERVER_FAULTS burst on each (method, path pattern): the next 3 such calls fail."""
    for method, path in calls:
        for fault in SERVER_FAULTS:
            cm.control.inject_fault(**fault, method=method, path=path, count=1)


@pytest.mark.e2e
def test_up__server_errors_and_dropped_connections_on_every_call(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    # A second program, for the VPN infrastructure (the only kind updated with a PUT).
    cm.control.add_program(id=VPN_PROGRAM, name="vpn", regions=["va7"])
    cm.control.add_environment(VPN_PROGRAM, id=VPN_PRODUCTION, name="prod", type="prod")
    spec = Spec()
    programs.network(spec)
    vpn_key = secret_value("vpn-key")
    programs.network(spec, "vpn", program_id=VPN_PROGRAM, vpn=programs.vpn_settings(spec, vpn_key))
    programs.networking(spec, DEV)
    rules = programs.port_forwards(spec, DEV, 3)
    values = [secret_value(f"5xx-{i}") for i in range(3)]
    names = programs.secrets(spec, DEV, values)
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)

    # Reads: at most 4 faults in a row on any call (the client tries 6 times).
    cm.control.inject_fault("http", status=500, method="GET", path="^/api/", count=2)
    cm.control.inject_fault("drop", method="GET", path="^/api/", count=1)
    cm.control.inject_fault("http", status=503, method="GET", path="^/api/", count=1)
    creating = [
        ("POST", "^/ims/token/v3$"),
        ("POST", "/networkInfrastructures$"),
        ("PUT", "/advancedNetworking$"),
        ("PATCH", "/variables$"),
    ]
    arm_bursts(cm, creating)
    cli.up()
    assert faults_left(cm) == []
    assert infrastructures(cm) == [("flexiblePortEgress", "ready")]
    assert infrastructures(cm, VPN_PROGRAM) == [("vpn", "ready")]
    assert port_forwards(cm.api, DEV) == sorted(rules)
    assert secret_names(cm, DEV) == dict.fromkeys(names, "ready")
    created = [r for r in cm.control.requests() if r["method"] == "POST" and r["status"] == 201]
    assert len(created) == 2  # one infrastructure per program, however many POSTs were sent

    # Updates: the VPN's DNS (PUT networkInfrastructure), a secret value (PATCH), a rule removed.
    spec.resources = [r for r in spec.resources if r["name"] != f"forward-{DEV}-2"]
    vpn = next(r for r in spec.resources if r["name"] == "vpn")
    vpn["args"]["vpn"] = programs.vpn_settings(spec, vpn_key, dns_resolver="10.151.201.23")
    values[0] = spec.secrets[f"{DEV}-0"] = secret_value("5xx-rotated")
    write_spec(cli, spec, exposure)
    arm_bursts(cm, [("PUT", "/networkInfrastructure/"), ("PATCH", "/variables$")])
    arm_bursts(cm, [("PUT", "/advancedNetworking$")])
    cli.up()
    assert faults_left(cm) == []
    [vpn_infrastructure] = cm.api.list_network_infrastructures(VPN_PROGRAM)
    assert vpn_infrastructure.dns is not None
    assert vpn_infrastructure.dns.resolvers == ["10.151.201.23"]
    assert port_forwards(cm.api, DEV) == sorted(rules[:2])
    assert secret_names(cm, DEV) == dict.fromkeys(names, "ready")
    cli.preview(expect_no_changes=True)

    # Deletes: rules (PUT), advanced networking (DELETE), secrets (PATCH), infrastructures.
    arm_bursts(cm, [("DELETE", "/advancedNetworking$"), ("DELETE", "/networkInfrastructure/")])
    arm_bursts(cm, [("PATCH", "/variables$"), ("PUT", "/advancedNetworking$")])
    cli.destroy()
    assert faults_left(cm) == []
    assert (infrastructures(cm), infrastructures(cm, VPN_PROGRAM)) == ([], [])
    assert (port_forwards(cm.api, DEV), secret_names(cm, DEV)) == (None, {})


# --- 3. an asynchronous operation that ends `failed` ----------------------------------------------


@pytest.mark.e2e
def test_up__failed_operations_report_details_and_next_up_recovers(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    spec = Spec()
    programs.network(spec)
    programs.networking(spec, DEV)
    rules = programs.port_forwards(spec, DEV, 1)
    [name] = programs.secrets(spec, DEV, [secret_value("failed-0")])
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)
    everything = set(spec.names())

    # The infrastructure's creation fails: nothing that depends on it is attempted.
    cm.control.inject_fault("fail", operation="infrastructure_create")
    output = failed_run(cli, *UP)
    [(failed_id, _)] = [(i.id, i.status) for i in cm.api.list_network_infrastructures(PROGRAM_ID)]
    assert (
        f"AdvancedNetworking 'network': network infrastructure {failed_id} ended 'failed': "
        f"Network infrastructure {failed_id}: create failed (injected fault) "
        "(NETWORK_INFRASTRUCTURE_CREATE_FAILED)"
    ) in output
    assert state_of(cli) == ({f"secret-{DEV}-0"}, [])  # the independent secret only
    cli.up()  # the failed infrastructure is deleted and created anew
    [infrastructure] = cm.api.list_network_infrastructures(PROGRAM_ID)
    assert (infrastructure.status, infrastructure.id != failed_id) == ("ready", True)
    assert state_of(cli) == (everything, [])

    # A new rule's environment update fails: Cloud Manager rolls the configuration back.
    rules += programs.port_forwards(spec, DEV, 1, first=1)
    write_spec(cli, spec, exposure)
    cm.control.inject_fault("fail", operation="environment_update")
    output = failed_run(cli, *UP)
    assert f"PortForward 'forward-{DEV}-1': environment {DEV} ended 'failed'" in output
    assert state_of(cli) == (everything, [])
    assert port_forwards(cm.api, DEV) == rules[:1]
    cli.up()
    assert port_forwards(cm.api, DEV) == sorted(rules)
    everything.add(f"forward-{DEV}-1")

    # A new secret value fails to apply: the variable is marked failed.
    spec.secrets[f"{DEV}-0"] = secret_value("failed-rotated")
    write_spec(cli, spec, exposure)
    cm.control.inject_fault("fail", operation="variables_update")
    output = failed_run(cli, *UP)
    assert (
        f"EnvironmentSecret 'secret-{DEV}-0': Cloud Manager failed to set variable {name} "
        f"(all services) in environment {DEV} (status 'failed')"
    ) in output
    assert state_of(cli) == (everything, [])
    assert secret_names(cm, DEV) == {name: "failed"}
    cli.up()
    assert secret_names(cm, DEV) == {name: "ready"}
    assert cm.api.get_environment(PROGRAM_ID, DEV).status == "ready"
    assert infrastructures(cm) == [("flexiblePortEgress", "ready")]
    cli.refresh(expect_no_changes=True)
    cli.preview(expect_no_changes=True)


# --- 4. Cloud Manager killed while `pulumi up` waits ----------------------------------------------


@pytest.mark.e2e
@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to find the CLI's plugin processes")
def test_up__cloud_manager_killed_and_restarted_while_waiting(
    pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    state = tmp_path / "cloud-manager.sqlite"
    exposure.token_stores.append(state)
    emulator = EmulatorProcess(
        free_port(), state, fast_timings(infrastructure_create=4), tmp_path / "emulator.log"
    )
    try:
        outcome, output = _kill_and_restart_during_create(
            emulator, pulumi_cli_factory, tmp_path, exposure
        )
        exposure.keep("background `pulumi up`", output)
        exposure.keep("emulator process log", emulator.log.read_text())
    finally:
        emulator.stop()
    print(f"the running `pulumi up` {outcome}")


def _kill_and_restart_during_create(
    emulator: EmulatorProcess, factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> tuple[str, str]:
    """Kill the emulator 0.5 s into the infrastructure's 4 s creation, restart it 1 s later."""
    cloud = cloud_manager_at(emulator.start().url)
    spec = Spec()
    programs.network(spec)
    programs.networking(spec, DEV)
    rules = programs.port_forwards(spec, DEV, 3)
    names = programs.secrets(spec, DEV, [secret_value(f"killed-{i}") for i in range(3)])
    cli = new_stack(factory, tmp_path, emulator.url, spec, exposure)

    running = BackgroundUp(cli, tmp_path / "up.log")
    try:
        wait_for_request(cloud.control, "POST", "/networkInfrastructures$", running)
        time.sleep(0.5)
        emulator.kill()
        exposure.kills += 1
        time.sleep(1.0)
        emulator.start()  # same port, same state file
        code, output = running.wait()
    finally:
        if running.running():
            running.kill()
    if code == 0:
        outcome = "survived"
    else:  # a clean failure: an error of a named resource, saying what got no answer
        outcome = "failed cleanly"
        assert re.search(r"dynamic/aem:\w+ \([\w-]+\):\n\s+error: ", output), output
        assert "got no answer" in output, output
    cli.up()  # converges (nothing left to do when the first run survived)
    assert infrastructures(cloud) == [("flexiblePortEgress", "ready")]  # not created twice
    assert port_forwards(cloud.api, DEV) == sorted(rules)
    assert secret_names(cloud, DEV) == dict.fromkeys(names, "ready")
    cli.preview(expect_no_changes=True)
    cli.refresh(expect_no_changes=True)
    exposure.log(cloud.control.requests())
    return outcome, output


# --- 5. `pulumi up` killed mid-operation, and the README's recovery -------------------------------

RECOVER = ("refresh", "--yes", "--non-interactive", "--skip-preview", "--clear-pending-creates")
"""README, "Recovering from an interrupted `pulumi up`", step 2 (non-interactive form)."""


def recover(cli: PulumiCLI) -> None:
    """The README's recovery before the next `up`: release the lock, refresh, clear pending creates."""
    assert "locked" in failed_run(cli, *RECOVER)  # the killed run's lock is still there
    cli.run("cancel", "--yes", "--non-interactive")
    cli.run(*RECOVER)
    assert state_of(cli)[1] == []


def kill_up_after(
    cli: PulumiCLI, cm: CloudManager, method: str, path: str, log: Path, exposure: Exposure
) -> None:
    """Start `pulumi up`, SIGKILL it (and its plugins) just after it sends `method path`."""
    cm.control.clear_requests()
    running = BackgroundUp(cli, log)
    try:
        wait_for_request(cm.control, method, path, running)
        time.sleep(0.3)
    finally:
        running.kill()
    exposure.kills += 1
    exposure.keep("killed `pulumi up`", log.read_text())
    assert state_of(cli)[1], "the kill came too late: no operation was pending"


@pytest.mark.e2e
@pytest.mark.skipif(not HAS_PROC, reason="needs /proc to find the CLI's plugin processes")
def test_up_killed__documented_recovery_converges(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    cm.control.set_timings(infrastructure_create=3, environment_update=1.5)
    spec = Spec()
    programs.network(spec)
    programs.networking(spec, DEV)
    names = programs.secrets(spec, DEV, [secret_value(f"interrupted-{i}") for i in range(2)])
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)

    # Killed while the infrastructure is being created: it exists, but not in the state.
    kill_up_after(cli, cm, "POST", "/networkInfrastructures$", tmp_path / "up-1.log", exposure)
    recover(cli)
    [infrastructure_id] = [i.id for i in cm.api.list_network_infrastructures(PROGRAM_ID)]
    output = failed_run(cli, *UP)
    assert (
        f"AdvancedNetworking 'network': program {PROGRAM_ID} already has network infrastructure "
        f"{infrastructure_id} (flexiblePortEgress, "
    ) in output
    assert "set adopt=True to take it over" in output
    spec.resources[0]["args"]["adopt"] = True  # README: adopt=True, then remove it again
    write_spec(cli, spec, exposure)
    cli.up()
    del spec.resources[0]["args"]["adopt"]
    write_spec(cli, spec, exposure)
    cli.up()
    assert [i.id for i in cm.api.list_network_infrastructures(PROGRAM_ID)] == [infrastructure_id]
    cli.preview(expect_no_changes=True)

    # Killed while several port forwards and secrets are being written: identical rules and
    # variables of the same name and type are taken over by the next `up`.
    rules = programs.port_forwards(spec, DEV, 4)
    names += programs.secrets(spec, DEV, [secret_value("interrupted-2")], first=2)
    write_spec(cli, spec, exposure)
    kill_up_after(cli, cm, "PUT", "/advancedNetworking$", tmp_path / "up-2.log", exposure)
    recover(cli)
    cli.up()
    assert infrastructures(cm) == [("flexiblePortEgress", "ready")]
    assert port_forwards(cm.api, DEV) == sorted(rules)
    assert secret_names(cm, DEV) == dict.fromkeys(names, "ready")
    assert state_of(cli) == (set(spec.names()), [])
    cli.refresh(expect_no_changes=True)
    cli.preview(expect_no_changes=True)


# --- 6. an environment made busy from outside -------------------------------------------------------


@pytest.fixture(params=[409, 400], ids=["busy-409", "busy-400"])
def busy_cloud(
    request: pytest.FixtureRequest, cm: CloudManager, tmp_path: Path, exposure: Exposure
) -> Iterator[CloudManager]:
    """The module's emulator (busy writes answer 409), or one whose busy writes answer 400."""
    if request.param == 409:
        yield cm
        return
    state = tmp_path / "busy-400.sqlite"
    exposure.token_stores.append(state)
    with EmulatorServer(port=0, state=state, timings=fast_timings(), busy_status=400) as server:
        cloud = cloud_manager_at(server.url)
        yield cloud
        exposure.log(cloud.control.requests())


class Pipelines(threading.Thread):
    """Keeps an environment `updating` from outside: busy 1 s, free 0.2 s, over and over."""

    def __init__(self, cloud: CloudManager, environment_id: str, running: BackgroundUp) -> None:
        super().__init__(daemon=True)
        self.cloud, self.environment_id, self.running = cloud, environment_id, running
        self.runs = 0

    def run(self) -> None:
        for _ in range(60):  # at most about 70 s
            if not self.running.running():
                return
            self.cloud.control.make_busy(PROGRAM_ID, self.environment_id, 1.0)
            self.runs += 1
            time.sleep(1.2)


@pytest.mark.e2e
def test_up__writes_wait_while_environment_busy_from_outside(
    busy_cloud: CloudManager,
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    exposure: Exposure,
) -> None:
    cloud = busy_cloud
    spec = Spec()
    programs.network(spec)
    programs.networking(spec, DEV)
    cli = new_stack(pulumi_cli_factory, tmp_path, cloud.url, spec, exposure)
    cli.up()
    rules = programs.port_forwards(spec, DEV, 4)
    names = programs.secrets(spec, DEV, [secret_value(f"busy-{i}") for i in range(4)])
    write_spec(cli, spec, exposure)
    cloud.control.clear_requests()

    cloud.control.make_busy(PROGRAM_ID, DEV, 2.0)  # a pipeline runs as `up` starts
    running = BackgroundUp(cli, tmp_path / "up.log")
    pipelines = Pipelines(cloud, DEV, running)
    pipelines.start()
    code, output = running.wait()
    pipelines.join(timeout=10)
    exposure.keep("background `pulumi up`", output)

    assert code == 0, output
    assert port_forwards(cloud.api, DEV) == sorted(rules)
    assert secret_names(cloud, DEV) == dict.fromkeys(names, "ready")
    landed = [r for r in cloud.control.requests() if r["method"] in WRITE_METHODS]
    assert landed and all(r["status"] in (200, 204, 409, 400) for r in landed)
    print(f"{pipelines.runs + 1} outside runs; writes: {[r['status'] for r in landed]}")
    cli.preview(expect_no_changes=True)


# --- 7. many resources at once ------------------------------------------------------------------------

FOREIGN_RULE = PortForward(name="legacy-db.example.com", port_dest=5432, port_orig=30950)
FOREIGN_HOSTS = ["internal.example.com"]
Variables = dict[tuple[str, str | None], tuple[str, str | None, str | None]]
"""(name, service) -> (type, value (None for a secret), status)."""


@dataclass
class Environment:
    """What an environment holds: advanced networking (hosts, rules) and variables."""

    non_proxy_hosts: list[str]
    rules: list[Rule]
    variables: Variables


def environment(cm: CloudManager, environment_id: str) -> Environment:
    [config] = cm.api.get_advanced_networking(PROGRAM_ID, environment_id)
    rules = sorted((r.name or "", r.port_dest, r.port_orig) for r in config.port_forwards)
    found = cm.api.list_variables(PROGRAM_ID, environment_id)
    held: Variables = {(v.name, v.service): (v.type, v.value, v.status) for v in found}
    return Environment(config.non_proxy_hosts, rules, held)


def set_up_outside_pulumi(cm: CloudManager, foreign_secret: str) -> dict[str, Environment]:
    """Made with the API, as a console user would: the infrastructure, and on both environments
    advanced networking with a foreign rule and non-proxy host, and foreign variables."""
    cm.api.create_network_infrastructure(  # dedicated: flexible programs refuse non-proxy hosts
        PROGRAM_ID, NetworkInfrastructure(kind="dedicatedEgressIp", region="va7")
    )
    foreign = AdvancedNetworkingUpdate(non_proxy_hosts=FOREIGN_HOSTS, port_forwards=[FOREIGN_RULE])
    keep = [
        VariableUpdate(name="FOREIGN_VAR", value="keep-me", type="string"),
        VariableUpdate(name="FOREIGN_VAR", value="publish-only", type="string", service="publish"),
        VariableUpdate(name="FOREIGN_SECRET", value=foreign_secret, type="secretString"),
    ]
    wait_infrastructure_ready(cm)
    for environment_id in (DEV, STAGE):
        cm.api.put_advanced_networking(PROGRAM_ID, environment_id, foreign)
        wait_environment_ready(cm.api, environment_id)
        cm.api.patch_variables(PROGRAM_ID, environment_id, keep)
        wait_environment_ready(cm.api, environment_id)
    return {e: environment(cm, e) for e in (DEV, STAGE)}


def wait_infrastructure_ready(cm: CloudManager) -> None:
    """Wait (at most 20 s) for the infrastructure created here."""
    deadline = time.monotonic() + 20
    while infrastructures(cm) != [("dedicatedEgressIp", "ready")]:
        assert time.monotonic() < deadline, infrastructures(cm)
        time.sleep(0.1)


@pytest.mark.e2e
def test_up__forty_resources_on_one_environment_and_ten_on_another(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    foreign_secret = secret_value("foreign")
    exposure.secret_values.add(foreign_secret)
    before = set_up_outside_pulumi(cm, foreign_secret)
    spec = Spec()
    rules = {
        DEV: programs.port_forwards(spec, DEV, 20),
        STAGE: programs.port_forwards(spec, STAGE, 5, first_port_orig=30200),
    }
    names = {
        DEV: programs.secrets(spec, DEV, [secret_value(f"many-dev-{i}") for i in range(20)]),
        STAGE: programs.secrets(spec, STAGE, [secret_value(f"many-stage-{i}") for i in range(5)]),
    }
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)
    cm.control.clear_requests()

    cli.up()  # 50 resources in one `up`
    for environment_id, foreign in before.items():
        ours: Variables = {
            (name, None): ("secretString", None, "ready") for name in names[environment_id]
        }
        assert environment(cm, environment_id) == Environment(
            FOREIGN_HOSTS,
            sorted(foreign.rules + rules[environment_id]),
            foreign.variables | ours,  # every foreign variable as it was, and ours
        )
    puts = [p for m, p in writes(cm.control) if m == "PUT" and f"/environment/{DEV}/" in p]
    print(f"{len(rules[DEV])} rules on {DEV} written in {len(puts)} PUTs")
    cli.preview(expect_no_changes=True)

    cli.destroy()  # removes ours, and only ours
    for environment_id, foreign in before.items():
        assert environment(cm, environment_id) == foreign


# --- 8. bad input: refused at preview, naming the input, with no API call -----------------------


@dataclass(frozen=True)
class BadInput:
    """One invalid configuration: a resource with `args` over its valid defaults."""

    kind: str
    args: dict[str, Any]
    property: str
    """The input the message must name (`port_forwards[1].port_orig`); "" for a program error."""
    reason: str
    """A fragment of the reason the message must give."""
    resource: str = "bad"
    reported: str = ""
    """The resource the message names, when not `resource` itself (a component's child)."""


PF: dict[str, Any] = {
    "program_id": PROGRAM_ID,
    "environment_id": DEV,
    "host": "smtp.example.com",
    "port_dest": 465,
}
NETWORKING: dict[str, Any] = {"program_id": PROGRAM_ID, "environment_id": DEV}
NET: dict[str, Any] = {"program_id": PROGRAM_ID, "kind": "flexiblePortEgress", "region": "va7"}
VAR: dict[str, Any] = {
    "program_id": PROGRAM_ID,
    "environment_id": DEV,
    "name": "EMAIL_USERNAME",
    "value": "apikey",
}
SECRET: dict[str, Any] = {**VAR, "name": "EMAIL_PASSWORD", "value": {"secret": "password"}}
MAIL: dict[str, Any] = {
    "program_id": PROGRAM_ID,
    "environment_id": DEV,
    "smtp_host": "smtp.sendgrid.net",
    "from_address": "noreply@wknd.site",
    "username": "apikey",
    "password": {"secret": "password"},
    "app_name": "wknd",
}
BAD_SECRETS = {
    "password": secret_value("bad-input-password"),
    "long": secret_value("bad-input-long") * 40,  # well over 499 characters
    "shared": secret_value("bad-input-shared-key"),
}


def bad_vpn(**changes: Any) -> dict[str, Any]:
    """Valid VPN settings (shared key from the secret configuration) with `changes`."""
    vpn = programs.vpn_settings(Spec(), "unused")
    vpn["connections"][0]["shared_key"] = {"secret": "shared"}
    connection = {k: v for k, v in changes.items() if k.startswith("gateway")}
    vpn["connections"][0] |= connection
    return vpn | {k: v for k, v in changes.items() if k not in connection}


def _pf(property: str, reason: str, **args: Any) -> BadInput:
    return BadInput("PortForward", {**PF, **args}, property, reason)


def _networking(property: str, reason: str, **args: Any) -> BadInput:
    return BadInput("EnvironmentAdvancedNetworking", {**NETWORKING, **args}, property, reason)


def _net(property: str, reason: str, **args: Any) -> BadInput:
    return BadInput("AdvancedNetworking", {**NET, **args}, property, reason)


def _var(property: str, reason: str, kind: str = "EnvironmentVariable", **args: Any) -> BadInput:
    return BadInput(
        kind, {**(SECRET if kind == "EnvironmentSecret" else VAR), **args}, property, reason
    )


def _rules(*rules: tuple[Any, ...]) -> list[dict[str, Any]]:
    keys = ("host", "port_dest", "port_orig", "protocol")
    return [dict(zip(keys, rule, strict=False)) for rule in rules]


RESERVED = "are accepted by Cloud Manager but ignored by AEM"
NOT_A_HOST = "is not a lower-case host name or IPv4 address"
BAD_INPUTS: dict[str, BadInput] = {
    # Port forwards: ports, hosts, ids, timeouts.
    "port-dest-zero": _pf("port_dest", "greater than or equal to 1", port_dest=0),
    "port-dest-too-big": _pf("port_dest", "less than or equal to 65535", port_dest=65536),
    "port-dest-http": _pf("port_dest", "port 80 is HTTP(S)", port_dest=80),
    "port-dest-https": _pf("port_dest", "port 443 is HTTP(S)", port_dest=443),
    "port-dest-not-a-number": _pf("port_dest", "valid integer", port_dest="smtp"),
    "port-orig-below-range": _pf(
        "port_orig", "port_orig 29999 is outside 30000-30999", port_orig=29999
    ),
    "port-orig-spec-only": _pf(
        "port_orig", "port_orig 31000 is outside 30000-30999", port_orig=31000
    ),
    "port-orig-no-default": _pf("port_orig", "port_orig is required", port_dest=1500),
    "host-upper-case": _pf("host", NOT_A_HOST, host="SMTP.example.com"),
    "host-underscore": _pf("host", NOT_A_HOST, host="smtp_relay.example.com"),
    "host-empty": _pf("host", NOT_A_HOST, host=""),
    "host-with-port": _pf("host", NOT_A_HOST, host="smtp.example.com:465"),
    "host-url": _pf("host", NOT_A_HOST, host="smtps://smtp.example.com"),
    "program-id-empty": _pf("program_id", "at least 1 character", program_id=""),
    "timeouts-not-a-duration": _pf(
        "timeouts", "'soon' is not a duration", timeouts={"create": "soon"}
    ),
    "timeouts-unknown-operation": _pf(
        "timeouts", "'read' is not an operation", timeouts={"read": "5m"}
    ),
    # Advanced networking on an environment: duplicate ports, rules, non-proxy hosts.
    "duplicate-port-orig": _networking(
        "port_forwards[1].port_orig",
        "port_orig 30465 is already used by port_forwards[0]",
        port_forwards=_rules(("a.example.com", 465, 30465), ("b.example.com", 587, 30465)),
    ),
    "duplicate-default-port-orig": _networking(
        "port_forwards[1].port_orig",
        "port_orig 30465 is already used by port_forwards[0]",
        port_forwards=_rules(("a.example.com", 465), ("b.example.com", 465)),
    ),
    "rule-https": _networking(
        "port_forwards[0].port_dest",
        "port 443 is HTTP(S)",
        port_forwards=_rules(("a.example.com", 443)),
    ),
    "rule-unknown-key": _networking(
        "port_forwards[0].protocol",
        "Extra inputs are not permitted",
        port_forwards=_rules(("a.example.com", 465, 30465, "tcp")),
    ),
    "non-proxy-host-star": _networking(
        "non_proxy_hosts[0]", "a wildcard may only lead", non_proxy_hosts=["*"]
    ),
    "non-proxy-host-inner-wildcard": _networking(
        "non_proxy_hosts[0]", "a wildcard may only lead", non_proxy_hosts=["api.*.example.com"]
    ),
    "environment-id-empty": _networking(
        "environment_id", "at least 1 character", environment_id=""
    ),
    # Network infrastructures: kinds, regions, VPN settings.
    "kind-unknown": _net(
        "kind", "'flexiblePortEgress', 'dedicatedEgressIp' or 'vpn'", kind="flexible"
    ),
    "kind-wrong-case": _net(
        "kind", "'flexiblePortEgress', 'dedicatedEgressIp' or 'vpn'", kind="VPN"
    ),
    "vpn-missing": _net("vpn", "is required when kind is 'vpn'", kind="vpn"),
    "vpn-for-flexible": _net("vpn", "is only allowed when kind is 'vpn'", vpn=bad_vpn()),
    "region-upper-case": _net("region", "must be a lower-case region name", region="VA7"),
    "region-empty": _net("region", "must not be empty", region=""),
    "program-id-not-digits": _net("program_id", "digits", program_id="wknd"),
    "vpn-address-space-too-small": _net(
        "vpn.address_space[0]",
        "smaller than a /26",
        kind="vpn",
        vpn=bad_vpn(address_space=["10.0.0.0/28"]),
    ),
    "vpn-gateway-not-an-address": _net(
        "vpn.connections[0].gateway_address",
        "is not an IPv4 address",
        kind="vpn",
        vpn=bad_vpn(gateway_address="vpn.example.com"),
    ),
    # Variables and secrets: reserved and invalid names, too-long values, services.
    "name-internal": _var("name", f"names starting INTERNAL_ {RESERVED}", name="INTERNAL_DEBUG"),
    "name-adobe": _var("name", f"names starting ADOBE_ {RESERVED}", name="ADOBE_TOKEN"),
    "name-const": _var(
        "name", f"names starting CONST_ {RESERVED}", "EnvironmentSecret", name="CONST_KEY"
    ),
    "name-proxy-host": _var("name", "AEM_PROXY_HOST is reserved", name="AEM_PROXY_HOST"),
    "name-leading-digit": _var("name", "must match [a-zA-Z_][a-zA-Z_0-9]*", name="1PASSWORD"),
    "name-hyphen": _var(
        "name", "must match [a-zA-Z_][a-zA-Z_0-9]*", "EnvironmentSecret", name="EMAIL-PASSWORD"
    ),
    "name-too-short": _var("name", "must be 2 to 100 characters long", name="X"),
    "name-too-long": _var("name", "must be 2 to 100 characters long", name="A" * 101),
    "secret-too-long": _var(
        "value",
        "a secret must be fewer than 500 characters long",
        "EnvironmentSecret",
        value={"secret": "long"},
    ),
    "value-too-long": _var("value", "must be at most 2048 characters long", value="x" * 2049),
    "value-empty": _var("value", "must not be empty", value=""),
    "service-unknown": _var("service", "'author', 'publish' or 'preview'", service="dispatcher"),
    "service-wrong-case": _var(
        "service", "'author', 'publish' or 'preview'", "EnvironmentSecret", service="Author"
    ),
    # The mail component: its own check, and its port forward's.
    "mail-run-mode": BadInput(
        "MailService",
        {**MAIL, "run_mode": "preview"},
        "",
        "run_mode 'preview' is not author",
        "mail",
    ),
    "mail-https-port": BadInput(
        "MailService",
        {**MAIL, "smtp_port": 443},
        "port_dest",
        "port 443 is HTTP(S)",
        "mail",
        "mail-smtp",
    ),
}


@pytest.fixture(scope="module")
def bad_input_stack(
    module_server: EmulatorServer,
    pulumi_bin: Path,
    tmp_path_factory: pytest.TempPathFactory,
    exposure: Exposure,
) -> PulumiCLI:
    """One stack for every bad input: each case rewrites resources.json and previews."""
    spec = Spec(secrets=dict(BAD_SECRETS))

    def factory(
        project: Path, env: dict[str, str] | None = None, state_dir: Path | None = None
    ) -> PulumiCLI:
        assert state_dir is not None
        return PulumiCLI(project, state_dir, env)

    workdir = tmp_path_factory.mktemp("bad-input")
    return new_stack(factory, workdir, module_server.url, spec, exposure)


@pytest.mark.e2e
@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_preview__bad_input_named_without_api_call(
    case: BadInput, bad_input_stack: PulumiCLI, module_server: EmulatorServer, exposure: Exposure
) -> None:
    control = EmulatorControl(module_server.url)
    Spec().add(case.kind, case.resource, **case.args).write(bad_input_stack.project_dir)
    control.clear_requests()

    output = failed_run(bad_input_stack, "preview", "--non-interactive")

    if case.property:
        # The engine's form: resource 'bad': property port_dest value {0} has a problem: <reason>
        resource, named = case.reported or case.resource, re.escape(case.property)
        message = rf"resource '{resource}': property {named} value .* has a problem: .*"
        assert re.search(message + re.escape(case.reason), output), output
    else:
        assert case.reason in output, output
    assert control.requests() == []  # not even a token
    exposure.bad_inputs += 1


# --- 9. an unknown environment or program: refused at `up`, before any write ----------------------


@pytest.mark.e2e
def test_up__unknown_environment_or_program_fails_before_any_write(
    cm: CloudManager, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    spec = Spec(secrets={"password": secret_value("unknown-password")})
    spec.add("PortForward", "forward", **{**PF, "environment_id": "29999"})
    spec.add("EnvironmentSecret", "secret", **{**SECRET, "environment_id": "29998"})
    spec.add("EnvironmentVariable", "variable", **{**VAR, "program_id": "19999"})
    spec.add(
        "EnvironmentAdvancedNetworking", "networking", **{**NETWORKING, "environment_id": "29997"}
    )
    spec.add("AdvancedNetworking", "network", **{**NET, "program_id": "19998"})
    cli = new_stack(pulumi_cli_factory, tmp_path, cm.url, spec, exposure)
    cm.control.clear_requests()

    output = failed_run(cli, *UP, "--continue-on-error")  # every resource is tried

    for message in (
        f"PortForward 'forward': environment 29999 does not exist in program {PROGRAM_ID}",
        f"EnvironmentSecret 'secret': environment 29998 does not exist in program {PROGRAM_ID}",
        "EnvironmentVariable 'variable': environment 20001 does not exist in program 19999",
        f"EnvironmentAdvancedNetworking 'networking': environment 29997 does not exist in program {PROGRAM_ID}",
        "AdvancedNetworking 'network': listing the network infrastructures of program 19998 failed: "
        "GET /api/program/19998/networkInfrastructures failed with 404: Program 19998 not found",
    ):
        assert message in output, output
    assert writes(cm.control) == []
    assert state_of(cli) == (set(), [])


# --- 10. nothing secret anywhere ----------------------------------------------------------------

TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{43,}")
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32), aem_pulumi/emulator/auth.py


def issued_token_digests(stores: list[Path]) -> set[str]:
    """The SHA-256 digests of every token the emulators issued (all they keep of a token)."""
    digests: set[str] = set()
    for store in stores:
        with contextlib.closing(sqlite3.connect(store)) as db:
            rows = db.execute("SELECT key FROM documents WHERE key LIKE 'tokens/%'").fetchall()
        digests |= {str(key).removeprefix("tokens/") for (key,) in rows}
    return digests


def tokens_in(texts: list[str], digests: set[str]) -> set[str]:
    """Every issued token found in `texts`: each 43-character urlsafe window, by its digest."""
    return {
        window
        for text in texts
        for run in TOKEN_RUN.findall(text)
        for i in range(len(run) - TOKEN_LENGTH + 1)
        if hashlib.sha256((window := run[i : i + TOKEN_LENGTH]).encode()).hexdigest() in digests
    }


def files_under(folder: Path, label: str, pattern: str = "*") -> dict[str, str]:
    """Every file under `folder` (matching `pattern`), by `label/relative path`."""
    files = sorted(p for p in folder.rglob(pattern) if p.is_file())
    return {f"{label}/{p.relative_to(folder)}": p.read_text(errors="replace") for p in files}


def _fresh_token(url: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "scope": "openid"}
    form["client_secret"] = CLIENT_SECRET
    return str(requests.post(f"{url}/ims/token/v3", data=form, timeout=10).json()["access_token"])


@pytest.mark.e2e
def test_zz_nothing_secret_leaks_anywhere(
    module_server: EmulatorServer, exposure: Exposure, request: pytest.FixtureRequest
) -> None:
    """Runs last: the client secret, secret values and tokens appear in nothing the suite saw."""
    if not exposure.clis:
        pytest.skip("checks what the other tests of this module exposed: run the whole module")
    texts = dict(exposure.texts)
    for index, cli in enumerate(exposure.clis):
        cli.run("stack", "export")  # recorded in the transcript (secrets stay encrypted)
        texts[f"stack {index}: CLI output and provider stderr"] = cli.transcript
        texts |= files_under(cli.state_dir, f"stack {index}: state")
        texts |= files_under(cli.project_dir, f"stack {index}: project", "Pulumi.*.yaml")
    assert [label for label in texts if "/.pulumi/stacks/" in label]  # the checkpoints are in
    planted = _fresh_token(module_server.url)  # proves the search finds a live token
    digests = issued_token_digests(exposure.token_stores)
    assert tokens_in([f"Authorization: Bearer {planted}"], digests) == {planted}

    leaked = {
        value[:12] + "…": [label for label, text in texts.items() if value in text]
        for value in exposure.secret_values
        if any(value in text for text in texts.values())
    }
    tokens = {
        label: tokens_in([text], digests)
        for label, text in texts.items()
        if tokens_in([text], digests)
    }

    cases = [item for item in request.session.items if item.path == request.path]
    print(
        f"\nreliability figures: {len(cases)} cases; faults injected and survived: "
        f"{sum(exposure.faults.values())} {exposure.faults} + {exposure.kills} processes killed; "
        f"bad inputs tried: {exposure.bad_inputs}; searched {len(texts)} texts "
        f"({sum(map(len, texts.values()))} characters) for {len(exposure.secret_values)} secret values and "
        f"{len(digests)} issued tokens: {len(leaked)} secret values and {len(tokens)} tokens leaked"
    )
    assert leaked == {}
    assert tokens == {}
