"""What a command cost, counted from the emulator's request log (never from our own bookkeeping)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

DEFINITIONS = """\
- API write: a POST, PUT, PATCH or DELETE under `/api/` that the emulator accepted (2xx).
- API read: a GET under `/api/`, whatever its answer.
- Refused: a write under `/api/` answered with an error (409 while the environment is busy).
- Token: a call under `/ims/` (the OAuth token), counted apart: neither a read nor a write.
- Environment update (net+vars): an accepted PUT or DELETE of an environment's
  `advancedNetworking` (net) or an accepted PATCH of its `variables` (vars); each puts the
  environment in `updating` for T seconds.
- Limit: the physical limit, the fewest environment updates the command could trigger: one
  networking update plus one variables update per deployment (3 for the 50-resource stack,
  whose port forwards depend on the resource that enables networking).
- Reads while updating: GETs of an environment's status (`/api/program/P/environment/E`) in the
  T seconds after each of its accepted updates, while it is `updating`. One shared read per poll
  interval per environment allows floor(T / poll interval) + 1 per update (counting both ends);
  "closest" is the shortest time between two of them, the poll interval when they are shared.
"""
"""How each column is counted; printed in BENCHMARKS.md."""

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_ENVIRONMENT = r"^/api/program/[^/]+/environment/[^/]+"
_NETWORKING = re.compile(_ENVIRONMENT + r"/advancedNetworking/?$")
_VARIABLES = re.compile(_ENVIRONMENT + r"/variables/?$")
_STATUS = re.compile(_ENVIRONMENT + r"/?$")
_ENVIRONMENT_PATH = re.compile(_ENVIRONMENT)


@dataclass(frozen=True)
class Counts:
    """The calls of one measured command, by kind."""

    writes: int = 0
    reads: int = 0
    refused: int = 0
    tokens: int = 0
    networking_updates: int = 0
    variables_updates: int = 0

    @property
    def updates(self) -> int:
        """Environment updates triggered: networking PUT/DELETE plus variables PATCH (accepted)."""
        return self.networking_updates + self.variables_updates

    @property
    def calls(self) -> int:
        """Every API and token call, whatever its answer."""
        return self.writes + self.reads + self.refused + self.tokens


def accepted(entry: Mapping[str, Any]) -> bool:
    """Whether the emulator answered the call with a 2xx (a dropped connection has no status)."""
    status = entry.get("status")
    return isinstance(status, int) and 200 <= status < 300


def environment_update(entry: Mapping[str, Any]) -> str | None:
    """`networking` or `variables` when the call is an accepted environment update, else None."""
    method, path = str(entry["method"]).upper(), str(entry["path"])
    if not accepted(entry):
        return None
    if method in ("PUT", "DELETE") and _NETWORKING.match(path):
        return "networking"
    if method == "PATCH" and _VARIABLES.match(path):
        return "variables"
    return None


def count(log: Iterable[Mapping[str, Any]]) -> Counts:
    """Classify every entry of `GET /__emulator/requests` (see DEFINITIONS)."""
    tally = dict.fromkeys(("writes", "reads", "refused", "tokens", "networking", "variables"), 0)
    for entry in log:
        method, path = str(entry["method"]).upper(), str(entry["path"])
        if path.startswith("/ims/"):
            tally["tokens"] += 1
        elif not path.startswith("/api/"):
            continue
        elif method == "GET":
            tally["reads"] += 1
        elif method in WRITE_METHODS:
            tally["writes" if accepted(entry) else "refused"] += 1
        kind = environment_update(entry)
        if kind is not None:
            tally[kind] += 1
    return Counts(
        writes=tally["writes"],
        reads=tally["reads"],
        refused=tally["refused"],
        tokens=tally["tokens"],
        networking_updates=tally["networking"],
        variables_updates=tally["variables"],
    )


@dataclass(frozen=True)
class WaitReads:
    """The environment status reads made while environments were `updating`."""

    updates: int
    reads: int
    most: int
    """The most reads within one update."""
    closest: float | None = None
    """The shortest time between two consecutive reads within one update (seconds)."""

    @property
    def per_update(self) -> float:
        """Reads while updating, per environment update."""
        return self.reads / self.updates if self.updates else 0.0


def reads_allowed(t: float, poll: float) -> int:
    """The most status reads of one environment in T seconds at one read per poll interval:
    T / poll intervals, so one read more, counting both ends."""
    return math.floor(round(t / poll, 6)) + 1


def wait_reads(log: Iterable[Mapping[str, Any]], t: float) -> WaitReads:
    """Status GETs of each environment in [u, u + T) after each of its accepted updates u.

    An environment's updates never overlap (Cloud Manager refuses a write while it is
    `updating`), so each read falls in at most one update's window.
    """
    entries = list(log)
    windows = [
        (_environment(e), float(e["time"])) for e in entries if environment_update(e) is not None
    ]
    reads: dict[int, list[float]] = {index: [] for index in range(len(windows))}
    for entry in entries:
        if str(entry["method"]).upper() != "GET" or not _STATUS.match(str(entry["path"])):
            continue
        at, where = float(entry["time"]), _environment(entry)
        for index, (environment, start) in enumerate(windows):
            if environment == where and start <= at < start + t:
                reads[index].append(at)
                break
    gaps = [b - a for times in reads.values() for a, b in itertools.pairwise(sorted(times))]
    counts = [len(times) for times in reads.values()]
    return WaitReads(
        updates=len(windows),
        reads=sum(counts),
        most=max(counts, default=0),
        closest=min(gaps, default=None),
    )


def _environment(entry: Mapping[str, Any]) -> str:
    match = _ENVIRONMENT_PATH.match(str(entry["path"]))
    return match.group(0) if match else ""
