"""The benchmark's counting and table rendering, on a synthetic request log (no CLI, no emulator)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from benchmarks import bench, counting, programs, report

Target, Counts, count = bench.Target, counting.Counts, counting.count
Row, render_row = report.Row, report.render_row
render_call_log, render_comparison = report.render_call_log, report.render_comparison

ENV = "/api/program/10001/environment/20001"
LOG = [
    {"method": "POST", "path": "/ims/token/v3", "status": 200, "time": 100.5},
    {"method": "GET", "path": ENV, "status": 200, "time": 100.6},
    {"method": "GET", "path": ENV, "status": 200, "time": 100.8},
    {"method": "PUT", "path": f"{ENV}/advancedNetworking", "status": 200, "time": 101.0},
    {"method": "PATCH", "path": f"{ENV}/variables", "status": 409, "time": 101.0},
    {"method": "PATCH", "path": f"{ENV}/variables", "status": 204, "time": 104.0},
    {"method": "DELETE", "path": f"{ENV}/advancedNetworking", "status": None, "time": 104.5},
    {
        "method": "POST",
        "path": "/api/program/10001/networkInfrastructures",
        "status": 201,
        "time": 105,
    },
]


def test_count() -> None:
    assert count(LOG) == Counts(
        writes=3, reads=2, refused=2, tokens=1, networking_updates=1, variables_updates=1
    )


def test_render_row() -> None:
    counts = count(LOG)
    target = Target(updates=2).describe(counts, 3.0, None)
    row = Row("MailService", "mail", True, counts, 7.5, 3.0, target=target, limit=2)
    assert render_row(row) == (
        "| MailService | dynamic | default | on | 3 | 2 | 1 | 2 | 2 (1+1) | 2 | 7.5 | 2.50 "
        "| ≤ 2 updates | — |"
    )


def test_render_row__plugin_at_a_parallel() -> None:
    row = Row("20 PortForward", "p", True, Counts(networking_updates=1), 4.5, 3.0)
    row = replace(row, front_end="plugin", parallel="32")
    assert render_row(row).startswith("| 20 PortForward | plugin | 32 | on | 0 |")


def test_render_comparison() -> None:
    merged = Row("20 PortForward", "pf-20", True, Counts(networking_updates=5), 17.0, 3.0)
    baseline = Row("20 PortForward", "pf-20", False, Counts(networking_updates=20), 68.0, 3.0)
    lines = render_comparison([merged, baseline]).splitlines()
    assert lines[2] == "| 20 PortForward | 5 | 20 | 0.25 | 17.0 | 68.0 | 0.25 |"


def test_render_call_log__repeated_polls_on_one_line() -> None:
    row = Row("x", "x", True, count(LOG), 5.0, 3.0, log=tuple(LOG[:3]), started=100.0)
    assert render_call_log(row).splitlines()[1] == (
        f"+  0.60s … +  0.80s  GET    {ENV}  200  (2 calls)"
    )


def test_target_judge__wall_time_bound() -> None:
    target = Target(updates=6, wall=True)
    counts = Counts(networking_updates=5)
    assert target.judge(counts, seconds=23.0, t=3.0, startup=1.0) is True
    assert target.judge(counts, seconds=24.0, t=3.0, startup=1.0) is False
    assert target.judge(counts, seconds=1.0, t=3.0, startup=None) is None


# Status reads around two updates of one environment (T = 1 s): the PUT at 10.0 and the PATCH at
# 11.5; reads of another environment and reads outside [u, u + T) do not count.
OTHER = "/api/program/10001/environment/20002"
WAITS = [
    {"method": "GET", "path": ENV, "status": 200, "time": 9.9},
    {"method": "PUT", "path": f"{ENV}/advancedNetworking", "status": 200, "time": 10.0},
    {"method": "GET", "path": ENV, "status": 200, "time": 10.0},
    {"method": "GET", "path": ENV, "status": 200, "time": 10.5},
    {"method": "GET", "path": OTHER, "status": 200, "time": 10.6},
    {"method": "GET", "path": f"{ENV}/variables", "status": 200, "time": 10.7},
    {"method": "GET", "path": ENV, "status": 200, "time": 11.0},
    {"method": "PATCH", "path": f"{ENV}/variables", "status": 409, "time": 11.1},
    {"method": "PATCH", "path": f"{ENV}/variables", "status": 204, "time": 11.5},
    {"method": "GET", "path": f"{ENV}/", "status": 200, "time": 11.6},
    {"method": "GET", "path": ENV, "status": 200, "time": 11.7},
    {"method": "GET", "path": ENV, "status": 200, "time": 11.8},
]


def test_wait_reads() -> None:
    waits = counting.wait_reads(WAITS, 1.0)
    assert (waits.updates, waits.reads, waits.most) == (2, 5, 3)
    assert waits.closest == pytest.approx(0.1)


def test_wait_reads__no_update() -> None:
    assert counting.wait_reads(LOG[:3], 3.0) == counting.WaitReads(updates=0, reads=0, most=0)


def test_reads_allowed__exact_ratio() -> None:
    assert (counting.reads_allowed(3.0, 0.2), counting.reads_allowed(3.0, 0.4)) == (16, 8)


def test_render_wait_reads() -> None:
    row = Row("50 resources: up", "mixed-up", True, count(WAITS), 2.0, 1.0, log=tuple(WAITS))
    lines = report.render_wait_reads([row], poll=0.5).splitlines()
    assert lines[2] == (
        "| 50 resources: up | dynamic | default | 2 | 5 | 2.5 | 3 | 3 | 0.100 | yes |"
    )


def test_program_write__plugin_names_this_virtualenv(tmp_path: Path) -> None:
    folder = programs.port_forwards(2, "plugin").write(tmp_path)
    assert (folder / "Pulumi.yaml").read_text() == (
        "name: bench-port-forwards-2-plugin\nruntime: python\nplugins:\n  providers:\n"
        f"    - name: aem\n      path: {programs.PLUGIN_DIR}\n"
    )
    assert "import aem_pulumi.native as aem\n" in (folder / "__main__.py").read_text()


def test_variable_maps__half_plain_the_odd_one_secret() -> None:
    variables, secrets = programs.variable_maps(5)
    assert (sorted(variables), sorted(secrets)) == (
        ["BENCH_VAR_0", "BENCH_VAR_1"],
        ["BENCH_SECRET_0", "BENCH_SECRET_1", "BENCH_SECRET_2"],
    )


def test_plugin_port_forwards__target_by_parallel() -> None:
    targets = {s.group: s.target.updates for s in bench.parallel_scenarios()}
    assert [targets[f"plugin-port-forwards-20-p{p}"] for p in (4, 8, 32, 64)] == [6, 4, 1, 1]
    assert targets["port-forwards-20-p64"] == 6  # the dynamic host serves 4 calls at once


def test_deployments__bulk_sets_on_both_front_ends() -> None:
    bulk = {s.group: s for s in bench.deployments() if "variables" in s.group or "bulk" in s.group}
    assert sorted(g for g in bulk if g.startswith("plugin-")) == [
        "plugin-environment-variables-1",
        "plugin-environment-variables-20",
        "plugin-environment-variables-5",
        "plugin-environment-variables-50",
        "plugin-mail-bulk",
    ]
    assert bulk["plugin-mail-bulk"].program.front_end == "plugin"
    assert "import aem_pulumi.native as aem\n" in bulk["plugin-mail-bulk"].program.source
