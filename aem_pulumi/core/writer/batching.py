"""Group commit: changes to one environment that arrive together go out in one API write.

A provider serves several calls at once (the dynamic host four, the plugin as many as the
engine sends). Each call submits its change and blocks; one of them (the leader) waits until the environment can be written, takes
every change queued by then and applies them in a single write, then wakes the others with their
own outcome. Changes queued meanwhile form the next batch.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

C = TypeVar("C")

# A short pause before a batch is taken, so that calls the engine sends together share one write
# (each write redeploys the environment for minutes; this costs a fraction of a second).
LINGER_SECONDS = 0.2
# The batch closes once no change arrived for LINGER_SECONDS, but no later than this after the
# write could start: the engine releases many changes together, yet each create first reads the
# environment, so they trickle in over a few tenths of a second (BENCHMARKS.md, "stragglers").
LINGER_CAP_SECONDS = 2.0
# Off only for benchmarks that measure the one-write-per-resource baseline (issue 5).
MERGE_WRITES_ENV = "AEM_PULUMI_MERGE_WRITES"


@dataclass
class _Ticket(Generic[C]):
    change: C
    done: bool = False
    error: BaseException | None = None
    event: threading.Event = field(default_factory=threading.Event)


class Batcher(Generic[C]):
    """Runs `apply(changes) -> per-change errors` for batches of submitted changes, one at a time."""

    def __init__(
        self,
        apply: Callable[[Sequence[C]], Sequence[BaseException | None]],
        prepare: Callable[[Sequence[C]], None] = lambda _: None,
        linger: float = LINGER_SECONDS,
    ) -> None:
        self._apply = apply
        self._prepare = prepare
        self._linger = linger
        self._lock = threading.Lock()
        self._pending: list[_Ticket[C]] = []
        self._leading = False

    def submit(self, change: C) -> None:
        """Queue `change`, block until the batch holding it is applied; raise its own error."""
        ticket = _Ticket(change)
        with self._lock:
            self._pending.append(ticket)
        while not ticket.done:
            if self._claim_lead():
                self._lead()
            else:
                ticket.event.wait(timeout=0.5)
                ticket.event.clear()  # else a set event makes this loop spin
        if ticket.error is not None:
            raise ticket.error

    def _claim_lead(self) -> bool:
        with self._lock:
            if self._leading or not self._pending:
                return False
            self._leading = True
            return True

    def _lead(self) -> None:
        try:
            with self._lock:
                queued = [t.change for t in self._pending]
            try:
                self._prepare(queued)  # e.g. wait for the environment: more changes queue meanwhile
            except Exception as exc:
                batch = self._take()
                errors: list[BaseException | None] = [exc] * len(batch)
            else:
                self._linger_while_arriving()  # calls the engine sends together join this batch
                batch = self._take()
                errors = self._run(batch)
            for ticket, error in zip(batch, errors, strict=True):
                ticket.error = error
                ticket.done = True
                ticket.event.set()
        finally:
            with self._lock:
                self._leading = False
                waiting = list(self._pending)
            for ticket in waiting:  # one of them takes the lead for the next batch
                ticket.event.set()

    def _linger_while_arriving(self) -> None:
        """Wait until no change arrived for one linger period (at most LINGER_CAP_SECONDS)."""
        deadline = time.monotonic() + max(self._linger, LINGER_CAP_SECONDS)
        while True:
            with self._lock:
                before = len(self._pending)
            time.sleep(self._linger)
            with self._lock:
                arrived = len(self._pending) > before
            if not arrived or time.monotonic() >= deadline:
                return

    def _take(self) -> list[_Ticket[C]]:
        with self._lock:
            if merge_writes():
                batch, self._pending = self._pending, []
            else:
                batch, self._pending = self._pending[:1], self._pending[1:]
            return batch

    def _run(self, batch: list[_Ticket[C]]) -> list[BaseException | None]:
        try:
            errors = list(self._apply([t.change for t in batch]))
        except Exception as exc:  # the whole write failed: every change in it failed
            return [exc] * len(batch)
        return errors


def merge_writes() -> bool:
    """Whether concurrent changes are merged (default); `AEM_PULUMI_MERGE_WRITES=false` turns it off."""
    return os.environ.get(MERGE_WRITES_ENV, "true").lower() not in ("0", "false", "no", "off")
