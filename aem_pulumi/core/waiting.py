"""The one helper that waits on an asynchronous Cloud Manager status, with a deadline and progress."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from aem_pulumi.client import APIConnectionError, RateLimitError, ServerError
from aem_pulumi.core.errors import OperationFailed, WaitTimeout
from aem_pulumi.core.progress import report
from aem_pulumi.core.timeouts import Deadline, format_duration

T = TypeVar("T")

POLL_INTERVAL = 5.0  # seconds between status reads; short operations still finish promptly
PROGRESS_EVERY = 30.0  # seconds between progress lines
# Failures of a status read that say nothing about the object (the API is down or overloaded).
TRANSIENT_ERRORS = (APIConnectionError, ServerError, RateLimitError)


@dataclass(frozen=True)
class Statuses(Generic[T]):
    """How to judge a status: done, still moving, failed; anything else is unexpected."""

    ready: Collection[str]
    pending: Collection[str]
    failed: Collection[str] = ()
    details: Callable[[T], str] = field(default=lambda _: "")
    # Says what an unexpected status means for the object (e.g. "cannot apply changes until ...").
    unexpected: Callable[[str], str] = field(default=lambda s: f"is in unexpected state '{s}'")


def wait_for(
    read: Callable[[], T],
    status: Callable[[T], str | None],
    statuses: Statuses[T],
    *,
    deadline: Deadline,
    what: str,
    who: str,
) -> T:
    """Poll `read` until its status is ready; raise on failed, an unexpected status or the deadline.

    `what` names the object (`environment 20001`), `who` the resources waiting on it.
    """
    started = time.monotonic()
    last_report: float | None = None
    pause = poll_interval()
    while True:
        current = _read_through_outages(read, deadline, pause, what, who)
        state = status(current) or "unknown"
        if state in statuses.ready:
            return current
        if state in statuses.failed:
            raise OperationFailed(
                f"{who}: {what} ended '{state}'{_suffix(statuses.details(current))}"
            )
        if state not in statuses.pending:
            raise OperationFailed(f"{who}: {what} {statuses.unexpected(state)}")
        waited = time.monotonic() - started
        if deadline.remaining() <= 0:
            raise WaitTimeout(
                f"{who}: {what} is '{state}'; waited {format_duration(waited)} (timeout), "
                f"{deadline.advice()}"
            )
        if last_report is None or time.monotonic() - last_report >= PROGRESS_EVERY:
            report(f"{who}: waiting for {what} ('{state}', {format_duration(waited)} so far)")
            last_report = time.monotonic()
        time.sleep(min(pause, deadline.remaining()))


def _read_through_outages(
    read: Callable[[], T], deadline: Deadline, pause: float, what: str, who: str
) -> T:
    """`read()`, read again while the API is unreachable or failing, until the deadline.

    The client has retried each read already; an outage of the API must not fail a wait that may
    last an hour while Cloud Manager carries on, so the wait goes on and says why.
    """
    while True:
        try:
            return read()
        except TRANSIENT_ERRORS as exc:
            if deadline.remaining() <= 0:
                raise WaitTimeout(
                    f"{who}: {what} could not be read ({exc}) until the deadline (timeout), "
                    f"{deadline.advice()}"
                ) from None
            report(f"{who}: cannot read {what} ({exc}); still waiting")
            time.sleep(min(pause, deadline.remaining()))


def poll_interval() -> float:
    """Seconds between status reads, overridable with AEM_POLL_INTERVAL for demos and tests."""
    try:
        return float(os.environ.get("AEM_POLL_INTERVAL", POLL_INTERVAL))
    except ValueError:
        return POLL_INTERVAL


def _suffix(details: str) -> str:
    return f": {details}" if details else ""
