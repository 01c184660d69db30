"""The one retry policy: capped exponential backoff with jitter, `Retry-After` honoured."""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from dataclasses import dataclass, field

import requests

from aem_pulumi.client.errors import APIConnectionError, APIError, redact

log = logging.getLogger("aem_pulumi.client")

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

    def may_retry_status(self, status: int, *, idempotent: bool) -> bool:
        """Idempotent calls retry on 429 and 5xx; a POST only on 429 (refused before any work)."""
        return status in RETRYABLE_STATUSES and (idempotent or status == 429)

    def may_retry_connection(self, error: APIConnectionError, *, idempotent: bool) -> bool:
        """Idempotent calls retry any connection failure; a POST only one that never left."""
        return idempotent or not error.sent


def call_with_retries(
    send: Callable[[], requests.Response],
    *,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    idempotent: bool,
    make_error: Callable[[requests.Response], APIError],
    secrets: Callable[[], list[str]],
) -> requests.Response:
    """Call `send` until it answers 2xx, a final error, or the policy gives up; log every retry."""
    attempt = 0
    while True:
        attempt += 1
        try:
            response = send()
        except APIConnectionError as exc:
            may = policy.may_retry_connection(exc, idempotent=idempotent)
            wait_or_raise(exc, attempt, None, may, policy, sleep, secrets)
            continue
        if response.ok:
            return response
        error = make_error(response)
        may = policy.may_retry_status(error.status, idempotent=idempotent)
        wait_or_raise(error, attempt, error.retry_after, may, policy, sleep, secrets)


def wait_or_raise(
    error: APIError | APIConnectionError,
    attempt: int,
    retry_after: float | None,
    may: bool,
    policy: RetryPolicy,
    sleep: Callable[[float], None],
    secrets: Callable[[], list[str]],
) -> None:
    """Raise `error` when it may not be retried or the attempts are used up; else log and wait."""
    if not may or attempt >= policy.max_attempts:
        raise error
    delay = policy.delay(attempt, retry_after)
    log.warning(
        "%s; retry %d of %d in %.1fs",
        redact(str(error), secrets()),
        attempt,
        policy.max_attempts - 1,
        delay,
    )
    sleep(delay)
