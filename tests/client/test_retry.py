"""The retry policy under faults injected by the emulator."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from typing import Any

import pytest

from aem_pulumi.client import APIConnectionError, CloudManagerClient, RetryPolicy, ServerError
from aem_pulumi.client.retry import backoff_seconds
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate
from aem_pulumi.models.variables import VariableUpdate

PROGRAM = "/api/program/10001"


def _statuses(emulator: EmulatorControl, path: str) -> list[int]:
    return [r["status"] for r in emulator.requests() if r["path"] == path]


def test_backoff_seconds() -> None:
    delays = [backoff_seconds(n, base=0.5, cap=5.0, jitter=1.0) for n in range(1, 7)]
    assert delays == [0.5, 1.0, 2.0, 4.0, 5.0, 5.0]
    assert backoff_seconds(3, base=0.5, cap=5.0, jitter=0.25) == 0.5


def test_get__retried_on_500_and_503(
    client: CloudManagerClient,
    emulator: EmulatorControl,
    sleeps: list[float],
    caplog: pytest.LogCaptureFixture,
) -> None:
    client.get_program("10001")  # token first, so faults hit the API call
    emulator.inject_fault("http", status=500, path="^/api/program/10001$", count=1)
    emulator.inject_fault("http", status=503, path="^/api/program/10001$", count=1)
    with caplog.at_level(logging.WARNING, logger="aem_pulumi.client"):
        assert client.get_program("10001").id == "10001"
    assert _statuses(emulator, PROGRAM)[1:] == [500, 503, 200]
    assert sleeps == [0.5, 1.0]
    assert [r.getMessage().split(";")[1] for r in caplog.records] == [
        " retry 1 of 5 in 0.5s",
        " retry 2 of 5 in 1.0s",
    ]


def test_get__retried_on_dropped_connection(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    client.get_program("10001")
    emulator.inject_fault("drop", path="^/api/program/10001$", count=2)
    assert client.get_program("10001").id == "10001"
    assert _statuses(emulator, PROGRAM)[-1] == 200


def test_get__gives_up_after_max_attempts(
    make_client: Any, emulator: EmulatorControl, sleeps: list[float]
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=3, jitter=lambda: 1.0))
    client.get_program("10001")
    emulator.inject_fault("http", status=503, path="^/api/program/10001$", count=10)
    with pytest.raises(ServerError) as caught:
        client.get_program("10001")
    assert caught.value.status == 503
    assert _statuses(emulator, PROGRAM)[1:] == [503, 503, 503]
    assert len(sleeps) == 2


def test_put__retried_on_503(client: CloudManagerClient, emulator: EmulatorControl) -> None:
    client.create_network_infrastructure(
        "10001", NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    emulator.inject_fault("http", status=503, method="PUT", count=2)
    client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate())
    path = f"{PROGRAM}/environment/20001/advancedNetworking"
    assert [r["status"] for r in emulator.requests() if r["method"] == "PUT"] == [503, 503, 200]
    assert client.get_advanced_networking("10001", "20001")[0].advanced_networking_enabled
    assert path


def test_patch__retried_on_429_honouring_retry_after(
    client: CloudManagerClient, emulator: EmulatorControl, sleeps: list[float]
) -> None:
    emulator.inject_fault("http", status=429, retry_after=7, method="PATCH", count=1)
    client.patch_variables("10001", "20001", [VariableUpdate(name="A_VAR", value="v")])
    assert sleeps == [7.0]
    assert [v.name for v in client.list_variables("10001", "20001")] == ["A_VAR"]


def test_get__503_retry_after_honoured(
    client: CloudManagerClient, emulator: EmulatorControl, sleeps: list[float]
) -> None:
    emulator.inject_fault("http", status=503, retry_after=4, path="^/api/program/10001$")
    assert client.get_program("10001").id == "10001"
    assert sleeps == [4.0]


def test_delete__retried_on_500(client: CloudManagerClient, emulator: EmulatorControl) -> None:
    created = client.create_network_infrastructure(
        "10001", NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    assert created.id is not None
    emulator.inject_fault("http", status=500, method="DELETE", count=1)
    client.delete_network_infrastructure("10001", created.id)
    assert client.list_network_infrastructures("10001") == []


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A socket that accepts connections and never answers (a hung API)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"


def test_request__read_timeout(make_client: Any, silent_server: str) -> None:
    client = make_client(
        ims_url=silent_server, timeout=(1.0, 0.2), retry=RetryPolicy(max_attempts=2)
    )
    with pytest.raises(APIConnectionError) as caught:
        client.get_program("10001")
    assert str(caught.value) == (
        f"POST /ims/token/v3 got no answer from {silent_server}: ReadTimeout"
    )
    assert caught.value.sent
