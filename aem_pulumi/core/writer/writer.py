"""One writer per environment and concern: wait until writable, merge, apply, wait, verify.

A concern (`networking.NETWORKING`, `variables.VARIABLES`) says how to read the environment's
state, how one change transforms it, which request makes the environment match, and how to judge
each change afterwards; everything else is shared here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any, Generic, Protocol, TypeVar

from aem_pulumi.client import CloudManagerClient, CloudManagerError
from aem_pulumi.core.environments import (
    get_environment,
    wait_applied,
    wait_writable,
    write_when_ready,
)
from aem_pulumi.core.errors import InvalidInputs, OperationFailed, ProviderError, RequestFailed
from aem_pulumi.core.timeouts import Deadline
from aem_pulumi.core.writer.batching import Batcher

S = TypeVar("S")
C = TypeVar("C", bound="Change")
C_contra = TypeVar("C_contra", bound="Change", contravariant=True)


class Change(Protocol):
    """One resource's change to an environment."""

    @property
    def who(self) -> str:
        """The resource, for messages."""
        ...

    @property
    def deadline(self) -> Deadline:
        """When the change must be applied by."""
        ...

    @property
    def removes(self) -> bool:
        """A removal: already done when the environment itself is gone."""
        ...


Request = Callable[[], object]


class Concern(Protocol[S, C_contra]):
    """What differs between writing advanced networking and writing variables."""

    name: str
    """For messages: `advanced networking`, `variables`."""

    def precheck(self, client: CloudManagerClient, program_id: str, change: C_contra) -> None:
        """Refuse, before queueing, a change Cloud Manager would refuse (ProviderError)."""
        ...

    def read(self, client: CloudManagerClient, program_id: str, environment_id: str) -> S:
        """The environment's state of this concern now."""
        ...

    def apply(self, change: C_contra, state: S) -> S:
        """The state after `change`; ProviderError when this change cannot apply."""
        ...

    def request(
        self, client: CloudManagerClient, program_id: str, environment_id: str, before: S, after: S
    ) -> Request | None:
        """The one API call that turns `before` into `after`; None when nothing is to write."""
        ...

    def outcome(self, change: C_contra, wanted: S, found: S) -> ProviderError | None:
        """This change's own result, judged on what was found after the write."""
        ...


class EnvironmentWriter(Generic[S, C]):
    """Applies batches of changes of one concern to one environment."""

    def __init__(
        self,
        concern: Concern[S, C],
        client: CloudManagerClient,
        program_id: str,
        environment_id: str,
    ) -> None:
        self._concern = concern
        self._client = client
        self._program_id = program_id
        self._environment_id = environment_id
        self._batcher: Batcher[C] = Batcher(self._apply, self._prepare)

    def submit(self, change: C) -> None:
        """Apply `change`, merged with concurrent ones; raise its own error."""
        try:  # fail before any write when the environment does not exist
            get_environment(self._client, self._program_id, self._environment_id, change.who)
        except InvalidInputs:
            if change.removes:
                return  # the environment is gone, and what was to be removed with it
            raise
        self._concern.precheck(self._client, self._program_id, change)
        self._batcher.submit(change)

    def read(self) -> S:
        """The environment's state of this concern now."""
        return self._concern.read(self._client, self._program_id, self._environment_id)

    def _prepare(self, changes: Sequence[C]) -> None:
        """Wait until the environment accepts a write (more changes queue meanwhile)."""
        wait_writable(*self._where(changes))

    def _apply(self, changes: Sequence[C]) -> list[BaseException | None]:
        """Every change that can apply goes into one write; each change gets its own outcome."""
        before = self.read()
        state = before
        errors: list[ProviderError | None] = []
        for change in changes:
            try:
                state = self._concern.apply(change, state)
                errors.append(None)
            except ProviderError as exc:
                errors.append(exc)
        accepted = [c for c, e in zip(changes, errors, strict=True) if e is None]
        found = before
        if accepted:
            where = (self._client, self._program_id, self._environment_id, before, state)
            request = self._concern.request(*where)
            if request is not None:
                self._write(request, accepted)
                found = self.read()
        return [
            error or self._concern.outcome(change, state, found)
            for change, error in zip(changes, errors, strict=True)
        ]

    def _write(self, request: Request, changes: Sequence[C]) -> None:
        """The request (retried while the environment is busy), then wait until applied."""
        where = self._where(changes)
        who = where[-1]
        try:
            write_when_ready(request, *where)
            wait_applied(*where)
        except CloudManagerError as exc:  # the client has redacted secret values already
            raise RequestFailed(
                f"{who}: writing the {self._concern.name} of environment {self._environment_id} "
                f"failed: {exc}"
            ) from None
        except OperationFailed as exc:
            raise OperationFailed(
                f"{exc}; its {self._concern.name} change did not complete: see the environment's "
                "activity in Cloud Manager, then run `pulumi up` again"
            ) from None

    def _where(self, changes: Sequence[C]) -> tuple[CloudManagerClient, str, str, Deadline, str]:
        return (
            self._client,
            self._program_id,
            self._environment_id,
            _latest(changes),
            _who(changes),
        )


def _latest(changes: Sequence[Change]) -> Deadline:
    """A batch waits as long as its most patient change allows."""
    return max((c.deadline for c in changes), key=lambda d: d.remaining())


def _who(changes: Sequence[Change]) -> str:
    """The resources of a batch, for messages: `EnvironmentSecret 'a', PortForward 'b'`."""
    names = list(dict.fromkeys(c.who for c in changes))
    shown = ", ".join(names[:3])
    return shown if len(names) <= 3 else f"{shown} and {len(names) - 3} more"


_lock = threading.Lock()
_writers: dict[tuple[str, ...], Any] = {}  # each value an EnvironmentWriter of its concern


def writer_for(
    concern: Concern[S, C], client: CloudManagerClient, program_id: str, environment_id: str
) -> EnvironmentWriter[S, C]:
    """The process-wide writer of `concern` for one environment (created once)."""
    key = (
        client.settings.api_url,
        client.settings.org_id,
        program_id,
        environment_id,
        concern.name,
    )
    with _lock:
        if key not in _writers:
            _writers[key] = EnvironmentWriter(concern, client, program_id, environment_id)
        writer: EnvironmentWriter[S, C] = _writers[key]
        return writer
