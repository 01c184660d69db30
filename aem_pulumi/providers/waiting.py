"""The one helper that waits on an asynchronous Cloud Manager status, with a deadline and progress."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Collection
from typing import TypeVar

import pulumi

from aem_pulumi.client import APIConnectionError, RateLimitError, ServerError
from aem_pulumi.providers.timeouts import format_duration

T = TypeVar("T")

POLL_INTERVAL = 5.0  # seconds between status reads; short operations still finish promptly
PROGRESS_EVERY = 30.0  # seconds between progress lines on stderr
# Failures of a status read that say nothing about the object (the API is down or overloaded).
TRANSIENT_ERRORS = (APIConnectionError, ServerError, RateLimitError)


class OperationFailed(Exception):
    """The object reached a failed status."""


class WaitTimeout(Exception):
    """The deadline passed before the object was ready."""


def wait_for(
    read: Callable[[], T],
    *,
    status: Callable[[T], str | None],
    ready: Collection[str],
    pending: Collection[str],
    failed: Collection[str],
    timeout: float,
    what: str,
    who: str,
    timeout_key: str,
    details: Callable[[T], str] = lambda _: "",
    interval: float | None = None,
) -> T:
    """Poll `read` until its status is in `ready`; raise on `failed`, an unexpected status or timeout.

    `what` names the object (`environment 20001`), `who` the resources waiting on it, and
    `timeout_key` the `timeouts` entry to raise when the deadline is too short.
    """
    started = time.monotonic()
    last_report: float | None = None
    pause = interval if interval is not None else _poll_interval()
    while True:
        current = _read_through_outages(read, started + timeout, pause, what, who, timeout_key)
        state = status(current)
        if state in ready:
            return current
        waited = time.monotonic() - started
        if state in failed:
            raise OperationFailed(f"{who}: {what} ended '{state}'{_suffix(details(current))}")
        if state not in pending:
            raise OperationFailed(f"{who}: {what} is in unexpected state '{state}'")
        if waited >= timeout:
            raise WaitTimeout(
                f"{who}: {what} is '{state}'; waited {format_duration(waited)} (timeout), "
                f"raise timeouts.{timeout_key} or retry later"
            )
        if last_report is None or time.monotonic() - last_report >= PROGRESS_EVERY:
            progress(f"{who}: waiting for {what} ('{state}', {format_duration(waited)} so far)")
            last_report = time.monotonic()
        time.sleep(min(pause, max(0.0, timeout - waited)))


def _read_through_outages(
    read: Callable[[], T], deadline: float, pause: float, what: str, who: str, timeout_key: str
) -> T:
    """`read()`, read again while the API is unreachable or failing, until the deadline.

    The client has retried each read already; an outage of the API must not fail a wait that may
    last an hour while Cloud Manager carries on, so the wait goes on and says why on stderr.
    """
    while True:
        try:
            return read()
        except TRANSIENT_ERRORS as exc:
            now = time.monotonic()
            if now >= deadline:
                raise WaitTimeout(
                    f"{who}: {what} could not be read ({exc}) until the deadline (timeout), "
                    f"raise timeouts.{timeout_key} or retry later"
                ) from None
            progress(f"{who}: cannot read {what} ({exc}); still waiting")
            time.sleep(min(pause, deadline - now))


def progress(message: str) -> None:
    """One progress line on the provider's stderr, shown by `pulumi up` (there is no progress API)."""
    pulumi.log.info(message)


def _poll_interval() -> float:
    """Poll interval, overridable with AEM_POLL_INTERVAL (seconds) for demos and tests."""
    try:
        return float(os.environ.get("AEM_POLL_INTERVAL", POLL_INTERVAL))
    except ValueError:
        return POLL_INTERVAL


def _suffix(details: str) -> str:
    return f": {details}" if details else ""
