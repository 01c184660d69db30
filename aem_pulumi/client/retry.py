"""The one retry policy: capped exponential backoff with jitter, `Retry-After` honoured."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})


def backoff_seconds(attempt: int, *, base: float, cap: float, jitter: float) -> float:
    """Delay before retry `attempt` (1-based): jitter * min(cap, base * 2**(attempt-1))."""
    return float(min(cap, base * 2.0 ** (attempt - 1)) * jitter)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long the client retries; `jitter` is injectable so tests can pin it."""

    max_attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 300.0
    jitter: Callable[[], float] = field(default=random.random)

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry `attempt`; the server's `Retry-After` wins when given."""
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        return backoff_seconds(
            attempt, base=self.base_delay, cap=self.max_delay, jitter=self.jitter()
        )

    def may_retry_status(self, method: str, status: int) -> bool:
        """Idempotent calls retry on 429 and 5xx; a POST only on 429 (refused before any work)."""
        if status not in RETRYABLE_STATUSES:
            return False
        return method in IDEMPOTENT_METHODS or status == 429

    def may_retry_connection(self, method: str, *, sent: bool) -> bool:
        """Idempotent calls retry any connection failure; a POST only one that never left."""
        return method in IDEMPOTENT_METHODS or not sent
