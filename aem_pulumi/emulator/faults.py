"""Injected faults: HTTP errors, dropped connections and failing asynchronous operations."""

from __future__ import annotations

import itertools
import random
import re
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from aem_pulumi.emulator.timings import OperationName

FaultKind = Literal["http", "drop", "fail"]


class FaultSpec(BaseModel):
    """A fault as the control plane receives it (`POST /__emulator/faults`)."""

    model_config = ConfigDict(extra="forbid")

    kind: FaultKind
    """`http` answers an error, `drop` closes the connection, `fail` fails the next operation."""
    status: int | None = Field(default=None, ge=400, le=599)
    """The HTTP status of an `http` fault (429, 500, 503 ...)."""
    retry_after: float | None = Field(default=None, ge=0)
    """Seconds sent in `Retry-After` with an `http` fault (429 sends 1 when not given)."""
    operation: OperationName | None = None
    """The asynchronous operation a `fail` fault makes fail."""
    method: str | None = None
    """Only calls with this HTTP method match."""
    path: str | None = None
    """Only calls whose path this regular expression is found in match."""
    count: int | None = Field(default=None, ge=1)
    """The next N matching calls (default 1)."""
    rate: float | None = Field(default=None, gt=0, le=1)
    """Each matching call with this probability, until the faults are cleared."""
    seed: int | None = None
    """Seed of the random draws of a `rate` fault, for repeatable runs."""

    def problems(self) -> list[tuple[str, str]]:
        """The (parameter, reason) pairs that make this fault unusable."""
        found: list[tuple[str, str]] = []
        if self.kind == "http" and self.status is None:
            found.append(("status", "required when kind is http"))
        if self.kind == "fail" and self.operation is None:
            found.append(("operation", "required when kind is fail"))
        if self.count is not None and self.rate is not None:
            found.append(("rate", "give count or rate, not both"))
        if self.path is not None and not _compiles(self.path):
            found.append(("path", "not a valid regular expression"))
        return found


def _compiles(pattern: str) -> bool:
    """Whether `pattern` is a valid regular expression."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


@dataclass
class Fault:
    """An armed fault with its remaining budget."""

    id: str
    spec: FaultSpec
    remaining: int | None
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, kinds: Collection[str], method: str, path: str) -> bool:
        """Whether a call (or operation) of these kinds, method and path is targeted."""
        spec = self.spec
        if spec.kind not in kinds:
            return False
        if spec.method is not None and spec.method.upper() != method.upper():
            return False
        return spec.path is None or re.search(spec.path, path) is not None

    def fires(self) -> bool:
        """Spend the budget on one matching call; whether the fault applies to it."""
        if self.remaining is None:
            return self.rng.random() < (self.spec.rate or 0.0)
        self.remaining -= 1
        return True

    def to_json(self) -> dict[str, Any]:
        """The fault as `GET /__emulator/faults` lists it."""
        body = self.spec.model_dump(exclude_none=True)
        return {"id": self.id, **body, "remaining": self.remaining}


class FaultRegistry:
    """The armed faults, in the order they were added; safe to use from many threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self._ids = itertools.count(1)

    def add(self, spec: FaultSpec) -> Fault:
        """Arm a fault: a count budget (default 1) unless a rate is given."""
        remaining = None if spec.rate is not None else (spec.count or 1)
        with self._lock:
            fault = Fault(str(next(self._ids)), spec, remaining, random.Random(spec.seed))
            self._faults.append(fault)
        return fault

    def list(self) -> list[dict[str, Any]]:
        """The armed faults as JSON objects."""
        with self._lock:
            return [fault.to_json() for fault in self._faults]

    def clear(self) -> None:
        """Disarm every fault."""
        with self._lock:
            self._faults.clear()

    def take(self, kinds: Collection[str], method: str, path: str) -> Fault | None:
        """The first fault of these kinds that applies to this call, its budget spent."""
        with self._lock:
            for fault in self._faults:
                if fault.matches(kinds, method, path) and fault.fires():
                    self._discard_spent(fault)
                    return fault
        return None

    def take_failure(self, operation: OperationName, method: str, path: str) -> bool:
        """Whether the operation this call starts must end failed (a `fail` fault)."""
        with self._lock:
            for fault in self._faults:
                if fault.spec.operation != operation:
                    continue
                if fault.matches(("fail",), method, path) and fault.fires():
                    self._discard_spent(fault)
                    return True
        return False

    def _discard_spent(self, fault: Fault) -> None:
        """Forget a count fault whose budget is used up."""
        if fault.remaining == 0:
            self._faults.remove(fault)
