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
10. nothing a faulty run printed or stored holds the client secret, a secret value or a token.

Besides case 10, what every case printed or stored is searched the same way when it ends (the
`exposure` fixture, tests/e2e/leaks.py), so no case depends on another or on their order.

The module runs its own emulator (its state in a SQLite file, where the digests of the tokens it
issued can be read back), every operation taking FAST seconds unless a case says otherwise.
The processes a case starts and kills are in tests/e2e/processes.py.
"""

from __future__ import annotations

import os
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward
from aem_pulumi.models.variables import VariableUpdate

from . import reliability_programs as programs
from .cloud_manager import (
    WRITE_METHODS,
    CloudManager,
    cloud_manager_at,
    faults_left,
    infrastructures,
    port_forwards,
    secret_names,
    wait_environment_ready,
    writes,
)
from .harness import PulumiCLI, PulumiCLIFactory, failed_run, state_of
from .leaks import Exposure, find_leaks
from .processes import (
    HAS_PROC,
    UP,
    BackgroundUp,
    EmulatorProcess,
    free_port,
    wait_for_request,
)
from .reliability_programs import DEV, PROGRAM_ID, STAGE, Rule, Spec, new_stack, write_spec

FAST = 0.3
"""Seconds every asynchronous emulator operation takes unless a case sets its own."""


def fast_timings(**seconds: float) -> Timings:
    """Every operation FAST seconds, except those given."""
    return Timings.model_validate({**dict.fromkeys(Timings.model_fields, FAST), **seconds})


@pytest.fixture(scope="module")
def module_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmulatorServer]:
    """This module's emulator on 127.0.0.1 (a free port), its state (token digests) in a file."""
    state = tmp_path_factory.mktemp("emulator") / "emulator.sqlite"
    with EmulatorServer(host="127.0.0.1", port=0, state=state, timings=fast_timings()) as server:
        yield server


def token_store(server: EmulatorServer) -> Path:
    """The state file of an emulator started with one (where its token digests are)."""
    assert server.state is not None
    return server.state


def check_nothing_leaked(exposure: Exposure, server: EmulatorServer) -> None:
    """No secret value and no token of `exposure`'s in anything it holds (`server` plants one)."""
    leaks = find_leaks(exposure, server.url)
    print(f"\nleak check: {leaks.figures}")
    assert leaks.secret_values == {}
    assert leaks.tokens == {}


@pytest.fixture
def exposure(module_server: EmulatorServer) -> Iterator[Exposure]:
    """What this case prints and stores; searched for secrets and tokens once the case ends."""
    exposed = Exposure(token_stores=[token_store(module_server)])
    yield exposed
    check_nothing_leaked(exposed, module_server)


@pytest.fixture
def cm(module_server: EmulatorServer, exposure: Exposure) -> Iterator[CloudManager]:
    """The module's emulator back to the seed, FAST timings; its request log kept afterwards."""
    cloud = cloud_manager_at(module_server.url)
    cloud.control.reset()
    yield cloud
    exposure.log(cloud.control.requests())
    cloud.control.clear_faults()


def secret_value(label: str) -> str:
    """A unique secret value, easy to find in any text."""
    return f"rel-{label}-{os.urandom(6).hex()}"


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
    # Each write (and token request) answered 429 was sent again; the wait the client planned is
    # the Retry-After (its own line below; tests/client/test_retry.py pins the waits without time).
    assert len(retried(cm.control.requests())) == 2 + 2 + 2 + 3
    assert "failed with 429" in output and "retry 1 of 5 in 2.0s" in output
    assert "AdvancedNetworking 'network': cannot read network infrastructure" in output
    cli.preview(expect_no_changes=True)


def retried(log: list[dict[str, Any]]) -> list[str]:
    """The path of each 429 on a write or token call that was sent again afterwards."""
    paths = []
    for index, entry in enumerate(log):
        call = (entry["method"], entry["path"])
        if entry["status"] != 429 or entry["method"] == "GET":
            continue
        if any((r["method"], r["path"]) == call for r in log[index + 1 :]):
            paths.append(entry["path"])
    return paths


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
    # README, "Recovering": one run with AEM_ADOPT=true takes back what the killed run created
    # (the infrastructure, and the secrets if their PATCH had gone out before the kill).
    cli.env["AEM_ADOPT"] = "true"
    cli.up()
    del cli.env["AEM_ADOPT"]
    cli.up()
    assert [i.id for i in cm.api.list_network_infrastructures(PROGRAM_ID)] == [infrastructure_id]
    cli.preview(expect_no_changes=True)

    # Killed while several port forwards and secrets are being written: the rules it wrote are
    # not in the state, so the next `up` asks for adopt=True (README, "Ownership"); one run with
    # AEM_ADOPT=true takes them over, with no Cloud Manager call of the user's.
    rules = programs.port_forwards(spec, DEV, 4)
    names += programs.secrets(spec, DEV, [secret_value("interrupted-2")], first=2)
    write_spec(cli, spec, exposure)
    kill_up_after(cli, cm, "PUT", "/advancedNetworking$", tmp_path / "up-2.log", exposure)
    recover(cli)
    output = failed_run(cli, *UP)
    assert "and this stack did not create it; set adopt=True to take it over" in output
    cli.env["AEM_ADOPT"] = "true"
    cli.up()
    del cli.env["AEM_ADOPT"]
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
def bad_input_exposure(module_server: EmulatorServer) -> Iterator[Exposure]:
    """What the bad-input stack prints and stores; searched once every bad input was tried."""
    exposed = Exposure(token_stores=[token_store(module_server)])
    yield exposed
    check_nothing_leaked(exposed, module_server)


@pytest.fixture(scope="module")
def bad_input_stack(
    module_server: EmulatorServer,
    pulumi_bin: Path,
    tmp_path_factory: pytest.TempPathFactory,
    bad_input_exposure: Exposure,
) -> PulumiCLI:
    """One stack for every bad input: each case rewrites resources.json and previews."""
    spec = Spec(secrets=dict(BAD_SECRETS))

    def factory(
        project: Path, env: dict[str, str] | None = None, state_dir: Path | None = None
    ) -> PulumiCLI:
        assert state_dir is not None
        return PulumiCLI(project, state_dir, env)

    workdir = tmp_path_factory.mktemp("bad-input")
    return new_stack(factory, workdir, module_server.url, spec, bad_input_exposure)


@pytest.mark.e2e
@pytest.mark.parametrize("case", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_preview__bad_input_named_without_api_call(
    case: BadInput,
    bad_input_stack: PulumiCLI,
    module_server: EmulatorServer,
    bad_input_exposure: Exposure,
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
    bad_input_exposure.bad_inputs += 1


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


@pytest.mark.e2e
def test_nothing_secret_leaks_anywhere(
    module_server: EmulatorServer, pulumi_cli_factory: PulumiCLIFactory, tmp_path: Path
) -> None:
    """The client secret, secret values and tokens appear in nothing a faulty run printed or stored.

    Self-contained: it runs what handles secrets (a VPN's shared key and secret variables created,
    rotated and deleted, through retried calls, a failed operation and a refused input), then
    searches everything that run printed or stored.
    """
    exposure = Exposure(token_stores=[token_store(module_server)])
    cloud = cloud_manager_at(module_server.url)
    cloud.control.reset()
    try:
        expose_secrets(cloud, pulumi_cli_factory, tmp_path, exposure)
    finally:
        exposure.log(cloud.control.requests())
        cloud.control.clear_faults()
    check_nothing_leaked(exposure, module_server)


def expose_secrets(
    cm: CloudManager, factory: PulumiCLIFactory, tmp_path: Path, exposure: Exposure
) -> None:
    """A stack's life in which every secret passes through messages, logs and state."""
    cm.control.add_program(id=VPN_PROGRAM, name="vpn", regions=["va7"])
    cm.control.add_environment(VPN_PROGRAM, id=VPN_PRODUCTION, name="prod", type="prod")
    spec = Spec()
    programs.network(spec)
    vpn = programs.vpn_settings(spec, secret_value("leak-vpn-key"))
    programs.network(spec, "vpn", program_id=VPN_PROGRAM, vpn=vpn)
    programs.networking(spec, DEV)
    programs.port_forwards(spec, DEV, 2)
    programs.secrets(spec, DEV, [secret_value(f"leak-{i}") for i in range(2)])
    cli = new_stack(factory, tmp_path, cm.url, spec, exposure)

    # Created through failing calls, whose errors are logged before each retry.
    cm.control.inject_fault(
        "http", status=429, retry_after=0, method="POST", path="^/ims/token/v3$", count=2
    )
    arm_bursts(cm, [("POST", "/networkInfrastructures$"), ("PATCH", "/variables$")])
    arm_bursts(cm, [("PUT", "/advancedNetworking$")])
    cli.up()
    assert faults_left(cm) == []

    # Rotated: a new shared key and secret value, the variables' update failing once.
    vpn_resource = next(r for r in spec.resources if r["name"] == "vpn")
    vpn_resource["args"]["vpn"] = programs.vpn_settings(spec, secret_value("leak-vpn-rotated"))
    spec.secrets[f"{DEV}-0"] = secret_value("leak-rotated")
    write_spec(cli, spec, exposure)
    cm.control.inject_fault("fail", operation="variables_update")
    assert "Cloud Manager failed to set variable" in failed_run(cli, *UP)
    cli.up()

    # Refused at preview: a secret with a reserved name, its value given.
    refused = Spec(resources=list(spec.resources), secrets=dict(spec.secrets))
    refused.add("EnvironmentSecret", "reserved", **{**SECRET, "name": "ADOBE_LEAK_TEST"})
    refused.secrets["password"] = secret_value("leak-refused")
    write_spec(cli, refused, exposure)
    assert RESERVED in failed_run(cli, "preview", "--non-interactive")
    write_spec(cli, spec, exposure)

    cli.refresh(expect_no_changes=True)
    cli.outputs()  # with --show-secrets: kept out of the transcript
    cli.destroy()
    assert (infrastructures(cm), infrastructures(cm, VPN_PROGRAM)) == ([], [])
