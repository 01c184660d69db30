"""The benchmark's counting and table rendering, on a synthetic request log (no CLI, no emulator)."""

from __future__ import annotations

from benchmarks import bench, counting, report

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
        "| MailService | on | 3 | 2 | 1 | 2 | 2 (1+1) | 2 | 7.5 | 2.50 | ≤ 2 updates | — |"
    )


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
