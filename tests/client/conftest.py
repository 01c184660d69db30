"""A client pointed at the session's emulator, with retries that do not really sleep."""

from __future__ import annotations

from typing import Any

import pytest

from aem_pulumi.client import CloudManagerClient, RetryPolicy
from aem_pulumi.emulator.control_client import EmulatorControl


class Sleeps(list[float]):
    """Records the delays the client would have slept."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(emulator: EmulatorControl, credentials: dict[str, str], sleeps: Sleeps) -> Any:
    """Builds clients for a freshly reset emulator."""

    def make(**overrides: Any) -> CloudManagerClient:
        options: dict[str, Any] = {
            "retry": RetryPolicy(jitter=lambda: 1.0),
            "sleep": sleeps,
            **overrides,
        }
        settings = {k: options.pop(k) for k in list(options) if k in credentials}
        return CloudManagerClient(**{**credentials, **settings}, **options)

    return make


@pytest.fixture
def client(make_client: Any) -> CloudManagerClient:
    return make_client()  # type: ignore[no-any-return]
