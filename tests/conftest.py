"""Fixtures shared by every test folder: one emulator server per session, reset for each test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings


@pytest.fixture(scope="session")
def emulator_server() -> Iterator[EmulatorServer]:
    """The emulator on 127.0.0.1 (a free port), every timing 0, for the whole session."""
    with EmulatorServer(host="127.0.0.1", port=0, timings=Timings.zero()) as server:
        yield server


@pytest.fixture
def emulator(emulator_server: EmulatorServer) -> EmulatorControl:
    """The session's emulator back to the seed, every timing 0; `.url` is its base URL."""
    control = EmulatorControl(emulator_server.url)
    control.reset()
    control.set_timings(**Timings.zero().model_dump())
    return control


@pytest.fixture
def credentials(emulator_server: EmulatorServer) -> dict[str, str]:
    """The seed's credentials; the API and IMS share the emulator's URL."""
    return {
        "api_url": emulator_server.url,
        "ims_url": emulator_server.url,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "org_id": ORG_ID,
    }
