"""What every handler shares (`Emulator`, reached with `current()`), and starting an operation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from flask import current_app, g, request

from aem_pulumi.emulator.faults import FaultRegistry
from aem_pulumi.emulator.records import PendingOperation
from aem_pulumi.emulator.request_log import RequestLog
from aem_pulumi.emulator.store import Store
from aem_pulumi.emulator.timings import OperationName, Timings

EXTENSION = "aem_pulumi_emulator"


@dataclass
class Emulator:
    """What every handler shares: the state, faults, request log and options."""

    store: Store
    faults: FaultRegistry
    log: RequestLog
    default_timings: Timings
    timings: Timings
    busy_status: int = 409
    token_ttl: float = 86399.0


def current() -> Emulator:
    """The emulator serving the current request."""
    return cast(Emulator, current_app.extensions[EXTENSION])


def start_operation(
    name: OperationName,
    now: float,
    *,
    vpn: bool = False,
    previous: dict[str, Any] | None = None,
) -> PendingOperation:
    """An operation starting `now` with the configured duration; a `fail` fault fails it."""
    emulator = current()
    fails = emulator.faults.take_failure(name, request.method, request.path)
    if fails:
        g.fault = "fail"
    ends = now + emulator.timings.duration(name, vpn=vpn)
    return PendingOperation(name=name, started=now, ends=ends, fails=fails, previous=previous)
