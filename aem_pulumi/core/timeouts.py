"""Deadlines for asynchronous operations: `{"create": "90m", ...}` inputs, engine timeouts, defaults."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping

OPERATIONS = ("create", "update", "delete")
_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+(?:\.\d+)?)s)?$")


def parse_duration(text: str) -> float:
    """Seconds in a duration such as `90m`, `1h30m`, `45s` or `2h`; ValueError otherwise."""
    match = _DURATION.match(text.strip())
    if not text.strip() or match is None:
        raise ValueError(f"'{text}' is not a duration such as 90m, 1h30m or 45s")
    hours, minutes, seconds = match.groups()
    return int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def format_duration(seconds: float) -> str:
    """`2700` -> `45m0s`, the form used in messages."""
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}h{minutes}m{secs}s" if hours else f"{minutes}m{secs}s"


def timeout_for(
    operation: str,
    timeouts: Mapping[str, str] | None,
    defaults: Mapping[str, float],
    engine: Mapping[str, float] | None = None,
) -> float:
    """Seconds allowed for `operation`: the engine's `customTimeouts` (plugin only), else the
    resource's `timeouts` input, else the default."""
    if engine and engine.get(operation):
        return float(engine[operation])
    given = (timeouts or {}).get(operation)
    return parse_duration(given) if given else defaults[operation]


class Deadline:
    """A point in time an operation must finish by, and the `timeouts` key that sets it."""

    def __init__(self, seconds: float, key: str) -> None:
        self.seconds = seconds
        self.key = key
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._end - time.monotonic())

    def advice(self) -> str:
        """What to raise when this deadline is too short, for messages."""
        return f"raise timeouts.{self.key} or retry later"


def check_timeouts(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    """Validator for a `timeouts` input: known operations and well-formed durations only."""
    for key, text in (value or {}).items():
        if key not in OPERATIONS:
            raise ValueError(f"'{key}' is not an operation; use create, update or delete")
        parse_duration(text)
    return value
