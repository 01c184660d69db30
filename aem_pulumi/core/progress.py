"""Progress lines while waiting: the core reports, the front end decides where they go."""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_log = logging.getLogger("aem_pulumi")
_sink: contextvars.ContextVar[Callable[[str], None] | None] = contextvars.ContextVar(
    "aem_pulumi_progress", default=None
)


def report(message: str) -> None:
    """Tell the user what is happening (the front end's sink, else the `aem_pulumi` logger)."""
    sink = _sink.get()
    if sink is None:
        _log.info(message)
    else:
        sink(message)


@contextmanager
def reporting_to(sink: Callable[[str], None]) -> Iterator[None]:
    """Send this thread's progress lines to `sink` for the duration of one provider call."""
    token = _sink.set(sink)
    try:
        yield
    finally:
        _sink.reset(token)
