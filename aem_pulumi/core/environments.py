"""An environment's status: waiting until it accepts a write, and writing when it is busy.

Behaviour page, "A busy environment". Status reads of one environment are shared: however many
resources wait on it, it is read at most once per poll interval (issue 13).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from aem_pulumi.client import CloudManagerClient, ConflictError, NotFoundError, ValidationError
from aem_pulumi.core.errors import InvalidInputs
from aem_pulumi.core.progress import report
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.waiting import Statuses, poll_interval, wait_for
from aem_pulumi.models.environments import Environment

T = TypeVar("T")

READY = "ready"
# Statuses an environment passes through on its own.
PENDING = frozenset({"updating", "creating", "restoring", "resetting", "deleting"})
FAILED = frozenset({"failed", "deploy_failed", "restore_failed", "reset_failed", "deleted"})
# A write is accepted from `failed` too: retrying is how a failed update is recovered.
WRITABLE = frozenset({READY, "failed"})


def _unexpected(status: str) -> str:
    """What an environment status no lifecycle here knows means for the user (`hibernated`)."""
    return (
        f"is '{status}'; Cloud Manager cannot apply changes to it until it is resumed "
        "(or back to 'ready'); resume it, then run `pulumi up` again"
    )


_WRITABLE_STATUSES: Statuses[Environment] = Statuses(
    ready=WRITABLE, pending=PENDING, unexpected=_unexpected
)
_APPLIED_STATUSES: Statuses[Environment] = Statuses(
    ready={READY}, pending=PENDING, failed=FAILED, unexpected=_unexpected
)


@dataclass
class _Reading:
    at: float
    environment: Environment


class _SharedReads:
    """The last read of each environment, reused for one poll interval by every waiter."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[tuple[str, str, str], threading.Lock] = {}
        self._last: dict[tuple[str, str, str], _Reading] = {}

    def get(self, client: CloudManagerClient, program_id: str, environment_id: str) -> Environment:
        key = (client.settings.api_url, program_id, environment_id)
        with self._lock:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:  # one read in flight per environment; the others take its answer
            last = self._last.get(key)
            if last is not None and self._shareable(last):
                return last.environment
            environment = client.get_environment(program_id, environment_id)
            self._last[key] = _Reading(time.monotonic(), environment)
            return environment

    @staticmethod
    def _shareable(last: _Reading) -> bool:
        """A busy status read within the poll interval answers every waiter; a writable one
        never does: each write decides on a fresh read (someone may have started a pipeline)."""
        fresh = time.monotonic() - last.at < poll_interval()
        return fresh and last.environment.status not in WRITABLE

    def forget(self, client: CloudManagerClient, program_id: str, environment_id: str) -> None:
        """After a write, the next read must be fresh (it was 'ready' before the write)."""
        with self._lock:
            self._last.pop((client.settings.api_url, program_id, environment_id), None)


_reads = _SharedReads()


def get_environment(
    client: CloudManagerClient, program_id: str, environment_id: str, who: str
) -> Environment:
    """The environment now, or InvalidInputs naming it when it does not exist."""
    try:
        return _reads.get(client, program_id, environment_id)
    except NotFoundError:
        raise InvalidInputs(
            f"{who}: environment {environment_id} does not exist in program {program_id}"
        ) from None


def wait_writable(
    client: CloudManagerClient, program_id: str, environment_id: str, deadline: Deadline, who: str
) -> Environment:
    """Wait until the environment accepts writes (`ready`, or `failed` for a retry)."""
    return wait_for(
        lambda: get_environment(client, program_id, environment_id, who),
        lambda env: env.status,
        _WRITABLE_STATUSES,
        deadline=deadline,
        what=f"environment {environment_id}",
        who=who,
    )


def wait_applied(
    client: CloudManagerClient, program_id: str, environment_id: str, deadline: Deadline, who: str
) -> Environment:
    """Wait until the environment is `ready` again after a write; `failed` raises."""
    return wait_for(
        lambda: get_environment(client, program_id, environment_id, who),
        lambda env: env.status,
        _APPLIED_STATUSES,
        deadline=deadline,
        what=f"environment {environment_id}",
        who=who,
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
            result = write()
        except (ConflictError, ValidationError):
            _reads.forget(client, program_id, environment_id)
            env = get_environment(client, program_id, environment_id, who)
            if env.status in WRITABLE:
                # It may have become ready between the refusal and this read: one more try.
                refused_while_writable += 1
                if refused_while_writable > 1:
                    raise
                continue
            if deadline.remaining() <= 0:
                raise
            report(
                f"{who}: environment {environment_id} is busy ('{env.status}'); waiting to write"
            )
            wait_writable(client, program_id, environment_id, deadline, who)
        else:
            _reads.forget(client, program_id, environment_id)
            return result
