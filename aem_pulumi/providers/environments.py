"""Waiting for an environment and writing to it when it is busy (behaviour page, "A busy environment")."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from aem_pulumi.client import CloudManagerClient, ConflictError, NotFoundError, ValidationError
from aem_pulumi.models.environments import Environment
from aem_pulumi.providers.base import ProviderError
from aem_pulumi.providers.waiting import progress, wait_for

T = TypeVar("T")

READY = "ready"
# Statuses an environment passes through on its own; anything else is unexpected.
PENDING = frozenset({"updating", "creating", "restoring", "resetting", "deleting"})
FAILED = frozenset({"failed", "deploy_failed", "restore_failed", "reset_failed", "deleted"})
# A write is accepted from `failed` too: retrying is how a failed update is recovered.
WRITABLE = frozenset({READY, "failed"})


class Deadline:
    """A point in time an operation must finish by, and the `timeouts` key that sets it."""

    def __init__(self, seconds: float, key: str) -> None:
        self.seconds = seconds
        self.key = key
        self._end = time.monotonic() + seconds

    def remaining(self) -> float:
        """Seconds left (never negative)."""
        return max(0.0, self._end - time.monotonic())


def get_environment(
    client: CloudManagerClient, program_id: str, environment_id: str, who: str
) -> Environment:
    """The environment, or a ProviderError naming it when it does not exist."""
    try:
        return client.get_environment(program_id, environment_id)
    except NotFoundError:
        raise ProviderError(
            f"{who}: environment {environment_id} does not exist in program {program_id}"
        ) from None


def wait_writable(
    client: CloudManagerClient, program_id: str, environment_id: str, deadline: Deadline, who: str
) -> Environment:
    """Wait until the environment accepts writes (`ready`, or `failed` for a retry)."""
    return wait_for(
        lambda: get_environment(client, program_id, environment_id, who),
        status=lambda env: env.status,
        ready=WRITABLE,
        pending=PENDING,
        failed=frozenset(),
        timeout=deadline.remaining(),
        what=f"environment {environment_id}",
        who=who,
        timeout_key=deadline.key,
    )


def wait_applied(
    client: CloudManagerClient, program_id: str, environment_id: str, deadline: Deadline, who: str
) -> Environment:
    """Wait until the environment is `ready` again after a write; `failed` raises."""
    return wait_for(
        lambda: get_environment(client, program_id, environment_id, who),
        status=lambda env: env.status,
        ready={READY},
        pending=PENDING,
        failed=FAILED,
        timeout=deadline.remaining(),
        what=f"environment {environment_id}",
        who=who,
        timeout_key=deadline.key,
    )


def write_when_ready(
    write: Callable[[], T],
    client: CloudManagerClient,
    program_id: str,
    environment_id: str,
    deadline: Deadline,
    who: str,
) -> T:
    """Run `write`; when refused because the environment is busy, wait and try again.

    The busy status code is undocumented (409 or 400), so a refusal is judged by re-reading the
    environment, never by the code.
    """
    refused_while_writable = 0
    while True:
        try:
            return write()
        except (ConflictError, ValidationError):
            env = get_environment(client, program_id, environment_id, who)
            if env.status in WRITABLE:
                # It may have become ready between the refusal and this read: one more try.
                refused_while_writable += 1
                if refused_while_writable > 1:
                    raise
                continue
            if deadline.remaining() <= 0:
                raise
            progress(
                f"{who}: environment {environment_id} is busy ('{env.status}'); waiting to write"
            )
            wait_writable(client, program_id, environment_id, deadline, who)
