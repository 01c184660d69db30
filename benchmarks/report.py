"""The benchmark's table, its merged-versus-baseline comparison and BENCHMARKS.md."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.counting import DEFINITIONS, Counts, reads_allowed, wait_reads

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"
FINDINGS_PLACEHOLDER = (
    "## Findings\n\n(To be written by hand after a run: each target met or missed, and why.)\n"
)

COLUMNS = (
    "scenario",
    "front end",
    "--parallel",
    "merge",
    "API writes",
    "API reads",
    "token",
    "refused",
    "env updates (net+vars)",
    "limit",
    "wall s",
    "wall / T",
    "target",
    "met",
)


@dataclass(frozen=True)
class Row:
    """One measured command: what it was, what it cost, and its target."""

    scenario: str
    group: str
    merged: bool
    counts: Counts
    seconds: float
    update_seconds: float
    target: str = "—"
    met: bool | None = None
    limit: int | None = None
    """The physical limit: the fewest environment updates this command could trigger."""
    error: str | None = None
    log: tuple[Mapping[str, Any], ...] = field(default=(), repr=False)
    started: float = 0.0
    """Epoch seconds when the command started, so the call log shows offsets from it."""
    front_end: str = "dynamic"
    parallel: str = "default"
    """`--parallel` of the command: a number, or `default (N)`."""

    @property
    def ratio(self) -> float:
        """Wall time in units of one environment update (T)."""
        return self.seconds / self.update_seconds


def _met(met: bool | None) -> str:
    return {True: "yes", False: "**no**", None: "—"}[met]


def render_row(row: Row) -> str:
    """One Markdown table line (a failed command shows its error instead of counts)."""
    c = row.counts
    merge = "on" if row.merged else "off"
    if row.error is not None:
        cells = [
            row.scenario,
            row.front_end,
            row.parallel,
            merge,
            *["—"] * 6,
            f"{row.seconds:.1f}",
            "—",
            row.target,
            "**failed**",
        ]
    else:
        cells = [
            row.scenario,
            row.front_end,
            row.parallel,
            merge,
            str(c.writes),
            str(c.reads),
            str(c.tokens),
            str(c.refused),
            f"{c.updates} ({c.networking_updates}+{c.variables_updates})",
            "—" if row.limit is None else str(row.limit),
            f"{row.seconds:.1f}",
            f"{row.ratio:.2f}",
            row.target,
            _met(row.met),
        ]
    return "| " + " | ".join(cells) + " |"


def render_header() -> str:
    """The table's header and separator lines."""
    return "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)


def render_table(rows: Iterable[Row]) -> str:
    """The whole results table."""
    return "\n".join([render_header(), *(render_row(r) for r in rows)])


def render_wait_reads(rows: Iterable[Row], poll: float) -> str:
    """Status reads while each row's environment was `updating`, against one per poll interval."""
    lines = [
        "| scenario | front end | --parallel | env updates | reads while updating | "
        "per update | most in one update | allowed per update | closest two (s) | met |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if row.error is not None:
            continue
        waits = wait_reads(row.log, row.update_seconds)
        allowed = reads_allowed(row.update_seconds, poll)
        closest = "—" if waits.closest is None else f"{waits.closest:.3f}"
        lines.append(
            f"| {row.scenario} | {row.front_end} | {row.parallel} | {waits.updates} | "
            f"{waits.reads} | {waits.per_update:.1f} | {waits.most} | {allowed} | {closest} | "
            f"{_met(waits.most <= allowed) if waits.updates else '—'} |"
        )
    return "\n".join(lines)


def _pairs(rows: Sequence[Row]) -> list[tuple[Row, Row]]:
    """(merged, baseline) for each group measured both ways, in the merged rows' order."""
    baseline = {r.group: r for r in rows if not r.merged and r.error is None}
    return [
        (r, baseline[r.group]) for r in rows if r.merged and r.error is None and r.group in baseline
    ]


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "—"


def render_comparison(rows: Sequence[Row]) -> str:
    """Merged / one-write-per-resource, for environment updates and wall time."""
    lines = [
        "| scenario | env updates merged | env updates baseline | ratio | wall s merged | "
        "wall s baseline | ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for merged, base in _pairs(rows):
        m, b = merged.counts.updates, base.counts.updates
        lines.append(
            f"| {merged.scenario} | {m} | {b} | {_ratio(m, b)} | {merged.seconds:.1f} | "
            f"{base.seconds:.1f} | {_ratio(merged.seconds, base.seconds)} |"
        )
    return "\n".join(lines)


def _runs(log: Sequence[Mapping[str, Any]]) -> list[list[Mapping[str, Any]]]:
    """Consecutive identical calls (same method, path and status) grouped together."""
    runs: list[list[Mapping[str, Any]]] = []
    for entry in log:
        key = (entry["method"], entry["path"], entry["status"])
        if runs and (runs[-1][0]["method"], runs[-1][0]["path"], runs[-1][0]["status"]) == key:
            runs[-1].append(entry)
        else:
            runs.append([entry])
    return runs


def render_call_log(row: Row) -> str:
    """The measured command's calls as offsets from its start; repeated polls on one line."""
    lines = []
    for run in _runs(row.log):
        first, last = (float(e["time"]) - row.started for e in (run[0], run[-1]))
        when = f"+{first:6.2f}s" + (f" … +{last:6.2f}s" if len(run) > 1 else " " * 11)
        times = f"  ({len(run)} calls)" if len(run) > 1 else ""
        lines.append(f"{when}  {run[0]['method']:<6} {run[0]['path']}  {run[0]['status']}{times}")
    return "\n".join(lines) or "(no API or token call)"


def phases(row: Row) -> str:
    """Where the wall time went: before the first call, between first and last, after the last."""
    if not row.log:
        return f"no call; {row.seconds:.1f} s of process work"
    first = float(row.log[0]["time"]) - row.started
    last = float(row.log[-1]["time"]) - row.started
    return (
        f"{first:.1f} s before the first call (start-up, program, check/diff), "
        f"{last - first:.1f} s from first to last call, {row.seconds - last:.1f} s after the last"
    )


def render_document(
    info: Mapping[str, str],
    rows: Sequence[Row],
    logged: Sequence[Row],
    waits: Sequence[Row] = (),
    poll: float = 0.0,
) -> str:
    """The generated part of BENCHMARKS.md (between the markers); `waits` are the rows whose
    reads while updating are shown, at AEM_POLL_INTERVAL `poll`."""
    facts = "\n".join(f"- {key}: {value}" for key, value in info.items())
    parts = [
        START,
        "<!-- generated by `make bench` (benchmarks/bench.py); rewritten by every run -->",
        "## Run",
        facts,
        "## Results",
        "Counted from the emulator's request log (`GET /__emulator/requests`), cleared right "
        "before each measured command:\n\n" + DEFINITIONS.rstrip(),
        render_table(rows),
        "## Merged / one write per resource",
        render_comparison(rows),
    ]
    if waits:
        parts += [
            "## Reads while updating",
            f"Environment status reads of each up below while its environment was `updating` "
            f"(AEM_POLL_INTERVAL = {poll:g} s, T = {waits[0].update_seconds:g} s).",
            render_wait_reads(waits, poll),
        ]
    if logged:
        parts.append("## Call logs")
        for row in logged:
            merge = "merge on" if row.merged else "merge off"
            how = f"{row.front_end}, --parallel {row.parallel}, {merge}"
            why = "no target" if row.target == "—" else f"target {row.target}: {_met(row.met)}"
            parts.append(f"### {row.scenario} ({how}; {why})\n\n{phases(row)}.")
            if row.error is not None:
                parts.append(f"```\n{row.error}\n```")
            parts.append(f"```\n{render_call_log(row)}\n```")
    parts.append(END)
    return "\n\n".join(parts) + "\n"


def update_document(path: Path, generated: str, title: str = "# Benchmarks") -> None:
    """Replace the generated part of `path`, keeping everything else (the hand-written findings)."""
    if path.exists():
        text = path.read_text()
        pattern = re.compile(re.escape(START) + r".*?" + re.escape(END) + r"\n?", re.DOTALL)
        if pattern.search(text):
            path.write_text(pattern.sub(lambda _: generated, text, count=1))
            return
        path.write_text(text.rstrip("\n") + "\n\n" + generated)
        return
    path.write_text(f"{title}\n\n{generated}\n{FINDINGS_PLACEHOLDER}")
