"""Clients of the session's emulator and of a stub Cloud Manager; retries do not really sleep."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from aem_pulumi.client import CloudManagerClient, RetryPolicy
from aem_pulumi.emulator.control_client import EmulatorControl
from tests.client.stub import StubCloudManager


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


@pytest.fixture(scope="session")
def stub_server() -> Iterator[StubCloudManager]:
    with StubCloudManager() as server:
        yield server


@pytest.fixture
def stub(stub_server: StubCloudManager) -> StubCloudManager:
    """The stub Cloud Manager with no canned answers yet."""
    stub_server.reset()
    return stub_server


@pytest.fixture
def stub_client(stub: StubCloudManager, sleeps: Sleeps) -> CloudManagerClient:
    """A client of the stub; retries do not really sleep."""
    return CloudManagerClient(
        api_url=stub.url,
        ims_url=stub.url,
        client_id="stub-client",
        client_secret="stub-client-secret",
        org_id="STUB@AdobeOrg",
        retry=RetryPolicy(jitter=lambda: 1.0),
        sleep=sleeps,
    )
