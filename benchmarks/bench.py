"""`python -m benchmarks.bench` (`make bench`): API writes and wall time against the physical limit.

Every scenario drives the real Pulumi CLI against the emulator, whose environment updates
(advanced networking and variables alike) take T seconds, on one front end (the dynamic
resources or the provider plugin) at one `--parallel`. Each deployment starts from a fresh
emulator state and a fresh stack; the request log is cleared right before the measured command
and read right after it; the stack is destroyed afterwards (not measured). The deployments of
separate resources and lists on the dynamic front end also run with
`AEM_PULUMI_MERGE_WRITES=false`, one write per resource, as a baseline. The table goes to stdout
as rows are measured, then into BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import functools
import math
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate
from benchmarks import machine, programs
from benchmarks.cli import REPO_ROOT, PulumiCLI, Result, environment, pulumi_bin_dir, pulumi_version
from benchmarks.counting import Counts, count
from benchmarks.programs import ENVIRONMENT_ID, PROGRAM_ID, FrontEnd, Program
from benchmarks.report import (
    Row,
    render_comparison,
    render_document,
    render_header,
    render_row,
    render_wait_reads,
    update_document,
)

DEFAULT_UPDATE_SECONDS = 2.5  # keeps the whole run near 20 minutes on 2 shared cores
DEFAULT_POLL_INTERVAL = 0.2
CONCURRENT_CALLS = 4  # the Python dynamic provider serves 4 calls at once (its gRPC thread pool)
WALL_FACTOR = 1.5
SIZES = (1, 5, 20)
VARIABLE_SIZES = (1, 5, 20, 50)  # EnvironmentVariables, half plain and half secret
MAIL_EXTRA = 20  # rules and secrets added beside MailService's in the bulk resources
PARALLELS = (4, 8, 32, 64)  # the plugin's `--parallel` rows (issue 12)
DYNAMIC_PARALLELS = (4, 32, 64)  # the dynamic front end's, beside its default-parallel rows
PARALLEL_FORWARDS = 20  # the PortForwards of the `--parallel` rows
# The commands measured on the mixed stack; `--only` matching any of them runs them all.
MIXED_GROUPS = ("mixed-up", "noop", "preview", "preview-refresh", "refresh")
# Call logs shown in BENCHMARKS.md even when their targets are met (missed ones always are).
LOGGED_GROUPS = frozenset(
    {
        "mixed-up",
        "port-forwards-20",
        "mail",
        "mail-bulk",
        "environment-variables-50",
        "plugin-mail-bulk",
        "plugin-port-forwards-20-p32",
        "plugin-port-forwards-20",
        "plugin-mixed-up-p32",
        "plugin-mixed-up-p64",
    }
)


@dataclass(frozen=True)
class Target:
    """What a scenario should achieve; None means not targeted."""

    updates: int | None = None
    writes: int | None = None
    calls: int | None = None
    wall: bool = False
    """Wall time within WALL_FACTOR x (updates x T) plus process start-up."""

    def judge(self, counts: Counts, seconds: float, t: float, startup: float | None) -> bool | None:
        """Met, missed, or None when nothing is targeted (or start-up is unknown)."""
        checks: list[bool | None] = []
        if self.updates is not None:
            checks.append(counts.updates <= self.updates)
        if self.writes is not None:
            checks.append(counts.writes <= self.writes)
        if self.calls is not None:
            checks.append(counts.calls <= self.calls)
        if self.wall:
            checks.append(None if startup is None else seconds <= _wall_limit(counts, t, startup))
        if any(c is False for c in checks):
            return False
        return None if not checks or any(c is None for c in checks) else True

    def describe(self, counts: Counts, t: float, startup: float | None) -> str:
        """The target in words, with the wall-time bound in seconds when it applies."""
        parts = []
        if self.updates is not None:
            parts.append(f"≤ {self.updates} update{'s' if self.updates != 1 else ''}")
        if self.writes is not None:
            parts.append("no write" if self.writes == 0 else f"≤ {self.writes} writes")
        if self.calls is not None:
            parts.append("no call" if self.calls == 0 else f"≤ {self.calls} calls")
        if self.wall:
            bound = "?" if startup is None else f"{_wall_limit(counts, t, startup):.1f} s"
            parts.append(f"wall ≤ {WALL_FACTOR}·u·T + S = {bound}")
        return ", ".join(parts) or "—"


def _wall_limit(counts: Counts, t: float, startup: float) -> float:
    return WALL_FACTOR * counts.updates * t + startup


@dataclass(frozen=True)
class Scenario:
    """One deployment: a program, whether advanced networking is enabled beforehand, a target."""

    title: str
    group: str
    program: Program
    enable_networking: bool
    target: Target
    limit: int = 1
    """The physical limit: one networking update plus one variables update at most."""
    parallel: int | None = None
    """`pulumi up --parallel`; None for the CLI's default."""
    baseline: bool = True
    """Also measured with one write per resource (`AEM_PULUMI_MERGE_WRITES=false`)."""

    @property
    def front_end(self) -> FrontEnd:
        """The dynamic resources or the provider plugin."""
        return self.program.front_end


def default_parallel() -> int:
    """The CLI's default `--parallel`: 4 per CPU (`GOMAXPROCS` x 4 in pulumi's `up.go`)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cpus = os.cpu_count() or 1
    return 4 * cpus


def parallel_label(parallel: int | None) -> str:
    """How a row shows its `--parallel`."""
    return f"default ({default_parallel()})" if parallel is None else str(parallel)


def _per_batch(n: int, concurrent: int = CONCURRENT_CALLS) -> int:
    """The issues' bound for n separate resources: one update per batch of concurrent calls,
    plus one."""
    return math.ceil(n / concurrent) + 1


def _suffix(parallel: int | None) -> str:
    return "" if parallel is None else f"-p{parallel}"


def mixed_stack(front_end: FrontEnd = "dynamic", parallel: int | None = None) -> Scenario:
    """50 resources on one environment: the stack of the no-op up, preview and refresh rows.

    Limit 3: the PortForwards depend on the EnvironmentAdvancedNetworking that enables
    networking, so enabling and adding the rules are two networking updates, plus one for
    the variables. Issue 13 targets the limit for the plugin at `--parallel 64`.
    """
    program = programs.mixed(forwards=24, secret_count=25, front_end=front_end)
    title = f"{program.resources} resources: up"
    prefix = "plugin-" if front_end == "plugin" else ""
    target = Target(updates=3) if (front_end, parallel) == ("plugin", 64) else Target()
    return Scenario(
        title,
        f"{prefix}mixed-up{_suffix(parallel)}",
        program,
        enable_networking=False,
        target=target,
        limit=3,
        parallel=parallel,
        baseline=False,
    )


def _parallel_forwards(front_end: FrontEnd, parallel: int | None) -> Scenario:
    """20 PortForwards at one `--parallel`: the dynamic provider serves 4 at once whatever
    the engine sends, the plugin all the engine sends (issue 12)."""
    n = PARALLEL_FORWARDS
    engine = default_parallel() if parallel is None else parallel
    if front_end == "dynamic":
        updates = _per_batch(n, min(engine, CONCURRENT_CALLS))
    else:  # issue 13: one update when the engine sends all n at once
        updates = 1 if engine >= n else _per_batch(n, engine)
    prefix = "plugin-" if front_end == "plugin" else ""
    return Scenario(
        f"{n} PortForward",
        f"{prefix}port-forwards-{n}{_suffix(parallel)}",
        programs.port_forwards(n, front_end),
        enable_networking=True,
        target=Target(updates=updates),
        parallel=parallel,
        baseline=False,
    )


def _bulk_scenarios(front_end: FrontEnd) -> list[Scenario]:
    """EnvironmentVariables of M variables, and MailService through the bulk resources: one
    update per kind on either front end (issue 13)."""
    prefix = "plugin-" if front_end == "plugin" else ""
    scenarios = [
        Scenario(
            f"EnvironmentVariables of {m}",
            f"{prefix}environment-variables-{m}",
            programs.environment_variables(m, front_end),
            enable_networking=False,
            target=Target(updates=1, wall=m == max(VARIABLE_SIZES)),
            baseline=False,
        )
        for m in VARIABLE_SIZES
    ]
    title = f"MailService in the bulk resources + {MAIL_EXTRA} rules + {MAIL_EXTRA} secrets"
    program = programs.mail_service_bulk(MAIL_EXTRA, MAIL_EXTRA, front_end)
    group = f"{prefix}mail-bulk"
    mail = Scenario(title, group, program, False, Target(updates=2), limit=2, baseline=False)
    scenarios.append(mail)
    return scenarios


def parallel_scenarios() -> list[Scenario]:
    """Both front ends at each `--parallel`: 20 PortForwards and the 50-resource stack (the
    dynamic front end's default-parallel rows are the separate resources' and the mixed stack's)."""
    plugin_parallels: list[int | None] = [*PARALLELS, None]
    scenarios = [_parallel_forwards("dynamic", p) for p in DYNAMIC_PARALLELS]
    scenarios += [_parallel_forwards("plugin", p) for p in plugin_parallels]
    scenarios += [mixed_stack("dynamic", p) for p in DYNAMIC_PARALLELS]
    scenarios += [mixed_stack("plugin", p) for p in PARALLELS]
    return scenarios


def deployments() -> list[Scenario]:
    """The `pulumi up` scenarios, in the order they run (after the mixed stack's commands)."""
    scenarios = [
        Scenario(
            f"{n} PortForward",
            f"port-forwards-{n}",
            programs.port_forwards(n),
            enable_networking=True,
            target=Target(updates=_per_batch(n), wall=n == max(SIZES)),
        )
        for n in SIZES
    ]
    scenarios += [
        Scenario(
            f"port_forwards list of {n}",
            f"networking-list-{n}",
            programs.networking_list(n),
            enable_networking=False,
            target=Target(updates=1, wall=n == max(SIZES)),
        )
        for n in SIZES
    ]
    scenarios += [
        Scenario(
            f"{m} EnvironmentSecret",
            f"secrets-{m}",
            programs.secrets(m),
            enable_networking=False,
            target=Target(updates=_per_batch(m), wall=m == max(SIZES)),
        )
        for m in SIZES
    ]
    # The physical limit of a deployment: one networking update plus one variables update.
    mail = Scenario("MailService", "mail", programs.mail_service(), True, Target(updates=2), 2)
    scenarios.append(mail)
    bulk = _bulk_scenarios("dynamic") + _bulk_scenarios("plugin")
    return scenarios + bulk + parallel_scenarios()


class Bench:
    """The emulator, the CLI's environment and the rows measured so far."""

    def __init__(self, url: str, work: Path, bin_dir: Path, t: float, poll: float) -> None:
        self.control = EmulatorControl(url)
        self.client = CloudManagerClient(
            api_url=url,
            ims_url=url,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            org_id=ORG_ID,
        )
        self.url, self.work, self.bin_dir = url, work, bin_dir
        self.t, self.poll = t, poll
        self.startup: float | None = None
        self.rows: list[Row] = []
        self._stacks = 0

    def prepare(self, *, enable_networking: bool) -> None:
        """Fresh emulator state with a ready infrastructure (and networking enabled), untimed."""
        self.control.reset()
        self.control.set_timings(environment_update=0, variables_update=0)
        infrastructure = self.client.create_network_infrastructure(
            PROGRAM_ID, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
        )
        if enable_networking:
            update = AdvancedNetworkingUpdate(non_proxy_hosts=[], port_forwards=[])
            self.client.put_advanced_networking(PROGRAM_ID, ENVIRONMENT_ID, update)
        infrastructure_id = str(infrastructure.id)
        _ready(
            "infrastructure",
            lambda: self.client.get_network_infrastructure(PROGRAM_ID, infrastructure_id).status,
        )
        _ready(
            "environment", lambda: self.client.get_environment(PROGRAM_ID, ENVIRONMENT_ID).status
        )
        self.control.set_timings(environment_update=self.t, variables_update=self.t)

    def new_stack(self, program: Program, *, merged: bool) -> PulumiCLI:
        """A fresh project directory, backend and stack `bench` for `program`."""
        self._stacks += 1
        root = self.work / f"{self._stacks:02d}-{program.name}-{'merged' if merged else 'baseline'}"
        extra = {
            "AEM_API_URL": self.url,
            "AEM_IMS_URL": self.url,
            "AEM_CLIENT_ID": CLIENT_ID,
            "AEM_CLIENT_SECRET": CLIENT_SECRET,
            "AEM_ORG_ID": ORG_ID,
            "AEM_POLL_INTERVAL": str(self.poll),
            "AEM_PULUMI_MERGE_WRITES": "true" if merged else "false",
        }
        env = environment(self.bin_dir, root / "state", self.work / "pulumi-home", extra)
        (root / "state").mkdir(parents=True)
        cli = PulumiCLI(program.write(root / "project"), env)
        cli.must("stack", "init", "bench", "--non-interactive")
        # Our language host passes an empty stack config as `null`, which the Python SDK cannot
        # read (tools/pulumi-language-python/host.go, configEnviron): give every stack one value.
        cli.must("config", "set", "scenario", program.name, "--plaintext")
        return cli

    def measure(
        self,
        command: Callable[[], Result],
        title: str,
        group: str,
        *,
        merged: bool,
        target: Target,
        limit: int,
        front_end: FrontEnd = "dynamic",
        parallel: int | None = None,
    ) -> Row:
        """Clear the request log, run `command`, count its calls; print and keep the row."""
        self.control.clear_requests()
        started = time.time()
        result = command()
        log = tuple(self.control.requests())
        counts = count(log)
        row = Row(
            scenario=title,
            group=group,
            merged=merged,
            counts=counts,
            seconds=result.seconds,
            update_seconds=self.t,
            target=target.describe(counts, self.t, self.startup),
            met=target.judge(counts, result.seconds, self.t, self.startup),
            limit=limit,
            error=None if result.ok else result.tail(),
            log=log,
            started=started,
            front_end=front_end,
            parallel=parallel_label(parallel),
        )
        if not result.ok:
            row = replace(row, met=False)
        self.rows.append(row)
        print(render_row(row), flush=True)
        return row

    def teardown(self, cli: PulumiCLI) -> None:
        """Destroy the stack with instant emulator operations (not measured)."""
        self.control.set_timings(environment_update=0, variables_update=0)
        result = cli.destroy()
        if not result.ok:
            print(f"warning: destroy failed (ignored):\n{result.tail()}", file=sys.stderr)

    def deploy(self, scenario: Scenario, *, merged: bool) -> None:
        """Measure `pulumi up` of one scenario on a fresh state and stack."""
        self.prepare(enable_networking=scenario.enable_networking)
        cli = self.new_stack(scenario.program, merged=merged)
        target = scenario.target if merged else Target()
        self.measure(
            functools.partial(cli.up, scenario.parallel),
            scenario.title,
            scenario.group,
            merged=merged,
            target=target,
            limit=scenario.limit,
            front_end=scenario.front_end,
            parallel=scenario.parallel,
        )
        self.teardown(cli)

    def _step(
        self, command: Callable[[], Result], title: str, group: str, target: Target, limit: int = 0
    ) -> Row:
        return self.measure(command, title, group, merged=True, target=target, limit=limit)

    def stack_commands(self, scenario: Scenario) -> None:
        """`up` of the mixed stack, then its no-op `up`, `preview`, `preview --refresh`, `refresh`.

        The no-op `up` also gives the process start-up S used by the wall-time targets: every
        process starts and every resource is checked and diffed, but no call is made.
        """
        self.prepare(enable_networking=scenario.enable_networking)
        cli = self.new_stack(scenario.program, merged=True)
        up = self._step(cli.up, scenario.title, scenario.group, scenario.target, scenario.limit)
        if up.error is None:
            n = scenario.program.resources
            noop = self._step(cli.up, f"{n} resources: no-op up", "noop", Target(writes=0))
            self.startup = None if noop.error else noop.seconds
            self._step(cli.preview, f"{n} resources: preview", "preview", Target(calls=0))
            refreshing = f"{n} resources: preview --refresh"
            self._step(cli.preview_refresh, refreshing, "preview-refresh", Target(writes=0))
            self._step(cli.refresh, f"{n} resources: refresh", "refresh", Target(writes=0))
        self.teardown(cli)


def _ready(what: str, status: Callable[[], str | None], timeout: float = 30.0) -> None:
    """Wait until `status()` answers `ready` (set-up only: operations are instant then)."""
    deadline = time.monotonic() + timeout
    while (current := status()) != "ready":
        if time.monotonic() > deadline:
            raise RuntimeError(f"set-up: the {what} is still '{current}' after {timeout} s")
        time.sleep(0.05)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench", description=__doc__)
    parser.add_argument(
        "-T",
        "--update-seconds",
        type=float,
        default=DEFAULT_UPDATE_SECONDS,
        help="duration T of every environment update (default: %(default)s)",
    )
    parser.add_argument(
        "--poll-interval",
        type=float,
        default=DEFAULT_POLL_INTERVAL,
        help="AEM_POLL_INTERVAL of the provider process (default: %(default)s)",
    )
    parser.add_argument("--only", help="run only the groups matching this regular expression")
    parser.add_argument("--no-baseline", action="store_true", help="skip the merge-off baseline")
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "BENCHMARKS.md",
        help="the Markdown file to update (default: %(default)s)",
    )
    return parser


def _selected(group: str, only: str | None) -> bool:
    return only is None or re.search(only, group) is not None


def run(arguments: argparse.Namespace, bench: Bench) -> None:
    """Every selected scenario, in order: the mixed stack first (it measures start-up S)."""
    if any(_selected(group, arguments.only) for group in MIXED_GROUPS):
        mixed = mixed_stack()
        bench.stack_commands(mixed)
        if not arguments.no_baseline:
            bench.deploy(mixed, merged=False)
    for scenario in deployments():
        if not _selected(scenario.group, arguments.only):
            continue
        bench.deploy(scenario, merged=True)
        if scenario.baseline and not arguments.no_baseline:
            bench.deploy(scenario, merged=False)


def _logged(rows: Sequence[Row]) -> list[Row]:
    """Rows whose call log goes into BENCHMARKS.md: missed or failed targets, and examples."""
    return [r for r in rows if r.met is False or (r.merged and r.group in LOGGED_GROUPS)]


def _waits(rows: Sequence[Row]) -> list[Row]:
    """The ups of the 50-resource stack, whose reads while updating BENCHMARKS.md shows."""
    return [r for r in rows if r.merged and re.match(r"(plugin-)?mixed-up", r.group)]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark, print the table as it goes, update BENCHMARKS.md; 1 if a command failed."""
    arguments = _parser().parse_args(argv)
    t = float(arguments.update_seconds)
    began = time.monotonic()
    bin_dir = pulumi_bin_dir()
    version = pulumi_version(bin_dir)
    timings = Timings.zero().updated({"environment_update": t, "variables_update": t})
    with EmulatorServer(timings=timings) as server, tempfile.TemporaryDirectory() as work:
        bench = Bench(server.url, Path(work), bin_dir, t, float(arguments.poll_interval))
        print(f"T = {t:g} s, AEM_POLL_INTERVAL = {bench.poll:g} s, Pulumi CLI {version}")
        print(render_header(), flush=True)
        run(arguments, bench)
        info = machine.describe(
            t=t,
            poll=bench.poll,
            startup=bench.startup,
            total=time.monotonic() - began,
            pulumi_version=version,
            default_parallel=default_parallel(),
        )
    waits = _waits(bench.rows)
    print()
    print(render_comparison(bench.rows))
    print()
    print(render_wait_reads(waits, bench.poll))
    print(f"\ntotal {info['total run time']}")
    document = render_document(info, bench.rows, _logged(bench.rows), waits, bench.poll)
    update_document(arguments.output, document)
    print(f"wrote {arguments.output}")
    return 1 if any(r.error is not None for r in bench.rows) else 0


if __name__ == "__main__":
    sys.exit(main())
