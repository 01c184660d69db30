"""Network infrastructure operations against the emulator, and real-world answers from a stub."""

from __future__ import annotations

from typing import Any

import pydantic
import pytest

from aem_pulumi.client import (
    CloudManagerClient,
    NotFoundError,
    RetryPolicy,
    ServerError,
    UnreadableResponseError,
    ValidationError,
)
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import DnsConfiguration, NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import HOST_PATTERN, AdvancedNetworkingUpdate
from tests.client.stub import Answer, StubCloudManager
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


def test_create_network_infrastructure__dns_domains(client: CloudManagerClient) -> None:
    # Adobe's VPN tutorial sends `dns.domains` beside the resolvers (not in the spec).
    body = vpn_body(dns={"resolvers": ["10.151.201.22"], "domains": ["wknd.site", "wknd.com"]})
    created = client.create_network_infrastructure(
        "10001", NetworkInfrastructure.model_validate(body)
    )
    assert created.dns is not None
    assert (created.dns.resolvers, created.dns.domains) == (
        ["10.151.201.22"],
        ["wknd.site", "wknd.com"],
    )


def test_dns_configuration__domain_not_a_host_name() -> None:
    with pytest.raises(pydantic.ValidationError) as caught:
        DnsConfiguration(resolvers=["10.151.201.22"], domains=["wknd.site", "WKND Intranet"])
    assert [(e["loc"], e["msg"]) for e in caught.value.errors()] == [
        (("domains", 1), f"String should match pattern '{HOST_PATTERN}'")
    ]


# --- answers the emulator never gives, from a stub (tests/client/stub.py) --------------------

INFRASTRUCTURES_PATH = "/api/program/4/networkInfrastructures"


def _infrastructures(*items: dict[str, Any]) -> Answer:
    return Answer(body={"_embedded": {"networkInfrastructures": list(items)}})


def test_list_network_infrastructures__kinds_and_statuses_the_spec_does_not_list(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    stub.answer(
        "GET",
        INFRASTRUCTURES_PATH,
        _infrastructures(
            {
                "id": "5",
                "programId": "4",
                "kind": "vpn",
                "region": "va7",
                "status": "deleted_failed",
            },
            {"id": "6", "kind": "privateLink", "region": "nld2", "status": "migrating", "tier": 2},
        ),
    )
    found = [(i.id, i.kind, i.status) for i in stub_client.list_network_infrastructures("4")]
    assert found == [("5", "vpn", "deleted_failed"), ("6", "privateLink", "migrating")]


def test_get_network_infrastructure__vpn_without_ipsec_policy_or_dns(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # A VPN as the tutorial creates it, read back with optional parts missing: no `dns`, no
    # `ipsecPolicy`, the shared key left out, and a gateway range the request side would refuse.
    infrastructure = {
        "id": "7",
        "programId": "4",
        "kind": "vpn",
        "region": "va7",
        "status": "ready",
        "addressSpace": ["10.104.182.64/26"],
        "connections": [
            {
                "name": "connection-1",
                "gateway": {"address": "195.231.212.78", "addressSpace": ["10.151.0.0/16"]},
            },
            {"name": "connection-2"},
        ],
    }
    stub.answer("GET", "/api/program/4/networkInfrastructure/7", Answer(body=infrastructure))
    found = stub_client.get_network_infrastructure("4", "7")
    assert found.dns is None and found.connections is not None
    first, second = found.connections
    assert (first.gateway.address, first.gateway.address_space) == (
        "195.231.212.78",
        ["10.151.0.0/16"],
    )
    assert (first.shared_key, first.ipsec_policy.dh_group) == (None, None)
    assert (second.gateway.address, second.gateway.address_space) == (None, [])


def test_get_network_infrastructure__ipsec_values_the_spec_does_not_list(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    policy = {
        "dhGroup": "DHGroup25",
        "ikeEncryption": "CHACHA20",
        "ikeIntegrity": "SHA512",
        "ipsecEncryption": "AES256",
        "ipsecIntegrity": "SHA256",
        "pfsGroup": "PFS25",
        "saDatasize": 512,
        "saLifetime": 60,
    }
    infrastructure = {
        "kind": "vpn",
        "region": "va7",
        "dns": {"resolvers": ["10.151.201.22"], "domains": ["WKND.site"]},
        "connections": [{"name": "c", "sharedKey": "********", "ipsecPolicy": policy}],
    }
    stub.answer("GET", "/api/program/4/networkInfrastructure/7", Answer(body=infrastructure))
    found = stub_client.get_network_infrastructure("4", "7")
    assert found.connections is not None and found.dns is not None
    assert found.connections[0].ipsec_policy.model_dump(by_alias=True) == policy
    assert found.dns.domains == ["WKND.site"]


def test_get_network_infrastructure__unreadable_names_the_field(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    path = "/api/program/4/networkInfrastructure/7"
    stub.answer("GET", path, Answer(body={"id": "7", "region": "va7", "status": "ready"}))
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.get_network_infrastructure("4", "7")
    assert (caught.value.field, str(caught.value)) == (
        "kind",
        f"GET {path} answered 200 with a body that cannot be read (kind: Field required)",
    )


def test_list_network_infrastructures__embedded_not_an_object(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    stub.answer("GET", INFRASTRUCTURES_PATH, Answer(body={"_embedded": ["7"]}))
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.list_network_infrastructures("4")
    assert str(caught.value) == (
        f"GET {INFRASTRUCTURES_PATH} answered 200 with a body that cannot be read "
        "(_embedded: is not a JSON object)"
    )


def test_create_network_infrastructure__deleted_one_in_the_region_is_history(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # After an ambiguous POST the client looks the region up: a `deleted` infrastructure there
    # is history (behaviour page), so it sends the POST again instead of returning the old one.
    deleted = {"id": "5", "kind": "flexiblePortEgress", "region": "va7", "status": "deleted"}
    created = {"id": "6", "kind": "flexiblePortEgress", "region": "va7", "status": "creating"}
    stub.answer("POST", INFRASTRUCTURES_PATH, Answer(503), Answer(201, created))
    stub.answer("GET", INFRASTRUCTURES_PATH, _infrastructures(deleted))
    wanted = NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    assert stub_client.create_network_infrastructure("4", wanted).id == "6"
    assert stub.received == [
        ("POST", INFRASTRUCTURES_PATH),
        ("GET", INFRASTRUCTURES_PATH),
        ("POST", INFRASTRUCTURES_PATH),
    ]
