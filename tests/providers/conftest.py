"""Provider tests: the providers find the session's emulator through the `AEM_*` variables."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.client.settings import ENV_NAMES, ClientSettings
from aem_pulumi.core.ownership import CLAIMS
from aem_pulumi.dynamic import provider as base


@pytest.fixture(autouse=True)
def settings(monkeypatch: pytest.MonkeyPatch, credentials: dict[str, str]) -> None:
    """Providers find the emulator through the `AEM_*` variables; polls are quick."""
    base.CREDENTIALS.configure({})
    CLAIMS.reset()  # each test is a deployment of its own
    for key, value in credentials.items():
        monkeypatch.setenv(ENV_NAMES[key], value)
    monkeypatch.setenv("AEM_POLL_INTERVAL", "0.05")


@pytest.fixture
def api(credentials: dict[str, str]) -> CloudManagerClient:
    """A client of the emulator, to look at (and change) the environments outside the providers."""
    return CloudManagerClient(ClientSettings.resolve(credentials))
