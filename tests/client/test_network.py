"""Network infrastructure operations against the emulator."""

from __future__ import annotations

from typing import Any

import pytest

from aem_pulumi.client import (
    CloudManagerClient,
    NotFoundError,
    RetryPolicy,
    ServerError,
    ValidationError,
)
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import AdvancedNetworkingUpdate
from aem_pulumi.models.network import NetworkInfrastructure
from tests.payloads import vpn_body

FLEXIBLE = NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
CREATE_PATH = "/api/program/10001/networkInfrastructures"


def _vpn(shared_key: str = "s3cr3t-shared-key") -> NetworkInfrastructure:
    return NetworkInfrastructure.model_validate(vpn_body(shared_key=shared_key))


def _posts(emulator: EmulatorControl) -> list[dict[str, object]]:
    return [r for r in emulator.requests() if r["method"] == "POST" and r["path"] == CREATE_PATH]


def test_create_network_infrastructure(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert (created.kind, created.region, created.status) == ("flexiblePortEgress", "va7", "ready")
    assert created.id and created.program_id == "10001"


def test_create_network_infrastructure__starts_creating(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    emulator.set_timings(infrastructure_create=60)
    assert client.create_network_infrastructure("10001", FLEXIBLE).status == "creating"


def test_create_network_infrastructure__invalid_region(client: CloudManagerClient) -> None:
    wanted = NetworkInfrastructure(kind="flexiblePortEgress", region="xx1")
    with pytest.raises(ValidationError) as caught:
        client.create_network_infrastructure("10001", wanted)
    assert caught.value.status == 400
    assert [(p.name, p.reason) for p in caught.value.invalid_params] == [
        ("region", "xx1 is not a region of program 10001 (va7, nld2)")
    ]


def test_list_network_infrastructures(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert [i.id for i in client.list_network_infrastructures("10001")] == [created.id]


def test_get_network_infrastructure(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert created.id is not None
    assert client.get_network_infrastructure("10001", created.id).kind == "flexiblePortEgress"


def test_get_network_infrastructure__not_found(client: CloudManagerClient) -> None:
    with pytest.raises(NotFoundError):
        client.get_network_infrastructure("10001", "39999")


def test_update_network_infrastructure(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", _vpn())
    assert created.id is not None
    changed = NetworkInfrastructure.model_validate(
        {**_vpn().to_api(), "dns": {"resolvers": ["10.151.201.23"]}}
    )
    updated = client.update_network_infrastructure("10001", created.id, changed)
    assert updated.dns is not None and updated.dns.resolvers == ["10.151.201.23"]


def test_delete_network_infrastructure(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert created.id is not None
    client.delete_network_infrastructure("10001", created.id)
    with pytest.raises(NotFoundError):
        client.get_network_infrastructure("10001", created.id)


def test_delete_network_infrastructure__environment_enabled(client: CloudManagerClient) -> None:
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert created.id is not None
    client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate())
    with pytest.raises(ValidationError) as caught:
        client.delete_network_infrastructure("10001", created.id)
    assert caught.value.title == "Network Infrastructure cannot be deleted"
    assert "environment 20001" in str(caught.value)


def test_create_network_infrastructure__dropped_post_looked_up_then_repeated(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    emulator.inject_fault("drop", method="POST", path="networkInfrastructures")
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    calls = [(r["method"], r["status"]) for r in emulator.requests() if "networkInfra" in r["path"]]
    # The unanswered POST is followed by a look-up (nothing there), then one more POST.
    assert calls == [("POST", None), ("GET", 200), ("POST", 201)]
    assert [i.id for i in client.list_network_infrastructures("10001")] == [created.id]


def test_create_network_infrastructure__ambiguous_answer_finds_the_object(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    # The POST's answer is a 503, but the infrastructure exists (as after a write whose answer
    # was lost): the client looks it up instead of failing or creating a second one.
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    emulator.inject_fault("http", status=503, method="POST", path="networkInfrastructures")
    again = client.create_network_infrastructure("10001", FLEXIBLE)
    assert again.id == created.id
    assert len(client.list_network_infrastructures("10001")) == 1


def test_create_network_infrastructure__500_looked_up_then_repeated(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    emulator.inject_fault("http", status=500, method="POST", path="networkInfrastructures")
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert [r["status"] for r in _posts(emulator)] == [500, 201]
    assert len(client.list_network_infrastructures("10001")) == 1
    assert created.status == "ready"


def test_create_network_infrastructure__gives_up_after_max_attempts(
    make_client: Any, emulator: EmulatorControl
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=2, jitter=lambda: 1.0))
    emulator.inject_fault("http", status=500, method="POST", path="networkInfrastructures", count=5)
    with pytest.raises(ServerError) as caught:
        client.create_network_infrastructure("10001", FLEXIBLE)
    assert caught.value.status == 500
    assert [r["status"] for r in _posts(emulator)] == [500, 500]
    assert client.list_network_infrastructures("10001") == []


def test_create_network_infrastructure__post_retried_on_429(
    client: CloudManagerClient, emulator: EmulatorControl, sleeps: list[float]
) -> None:
    emulator.inject_fault(
        "http", status=429, retry_after=2, method="POST", path="networkInfrastructures", count=2
    )
    created = client.create_network_infrastructure("10001", FLEXIBLE)
    assert created.id
    assert [r["status"] for r in _posts(emulator)] == [429, 429, 201]
    assert sleeps == [2.0, 2.0]  # Retry-After honoured
