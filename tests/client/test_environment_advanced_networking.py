"""Advanced networking operations against the emulator, and real-world answers from a stub."""

from __future__ import annotations

import pytest

from aem_pulumi.client import (
    CloudManagerClient,
    ConflictError,
    UnreadableResponseError,
    ValidationError,
)
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward
from tests.client.stub import Answer, StubCloudManager

SMTP = PortForward(name="smtp.mymail.com", port_dest=465, port_orig=30465)


@pytest.fixture
def network(client: CloudManagerClient) -> None:
    client.create_network_infrastructure(
        "10001", NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )


def test_get_advanced_networking__not_enabled(client: CloudManagerClient, network: None) -> None:
    (config,) = client.get_advanced_networking("10001", "20001")
    assert (config.advanced_networking_enabled, config.port_forwards) == (False, [])


def test_put_advanced_networking(client: CloudManagerClient, network: None) -> None:
    update = AdvancedNetworkingUpdate(port_forwards=[SMTP])
    environment = client.put_advanced_networking("10001", "20001", update)
    assert environment.id == "20001"
    (config,) = client.get_advanced_networking("10001", "20001")
    assert config.advanced_networking_enabled
    assert [rule.to_api() for rule in config.port_forwards] == [SMTP.to_api()]


def test_put_advanced_networking__replaces_the_whole_list(
    client: CloudManagerClient, network: None
) -> None:
    client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate(port_forwards=[SMTP]))
    client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate(port_forwards=[]))
    (config,) = client.get_advanced_networking("10001", "20001")
    assert config.port_forwards == []


def test_put_advanced_networking__duplicate_port_orig(
    client: CloudManagerClient, network: None
) -> None:
    other = PortForward(name="ldap.example.com", port_dest=636, port_orig=30465)
    with pytest.raises(ValidationError) as caught:
        client.put_advanced_networking(
            "10001", "20001", AdvancedNetworkingUpdate(port_forwards=[SMTP, other])
        )
    assert [(p.name, p.reason) for p in caught.value.invalid_params] == [
        ("portForwards[1].portOrig", "30465 is already used by portForwards[0]; must be unique")
    ]


def test_put_advanced_networking__busy_environment(
    client: CloudManagerClient, emulator: EmulatorControl, network: None
) -> None:
    emulator.make_busy("10001", "20001", 30)
    with pytest.raises(ConflictError) as caught:
        client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate())
    assert caught.value.status == 409
    assert caught.value.title == "Environment 20001 is busy (status updating)"


def test_delete_advanced_networking(client: CloudManagerClient, network: None) -> None:
    client.put_advanced_networking("10001", "20001", AdvancedNetworkingUpdate(port_forwards=[SMTP]))
    client.delete_advanced_networking("10001", "20001")
    (config,) = client.get_advanced_networking("10001", "20001")
    assert not config.advanced_networking_enabled


# --- answers the emulator never gives, from a stub (tests/client/stub.py) --------------------

NETWORKING_PATH = "/api/program/4/environment/1/advancedNetworking"


def test_get_advanced_networking__404_means_not_enabled(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # The behaviour page: where it was never enabled the API may answer 404, not an empty list.
    not_found = {"status": 404, "title": "Advanced networking is not enabled"}
    stub.answer("GET", NETWORKING_PATH, Answer(404, not_found))
    assert stub_client.get_advanced_networking("4", "1") == []
    assert stub.received == [("GET", NETWORKING_PATH)]  # a 404 is final: not retried


def test_get_advanced_networking__rules_the_request_side_refuses(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # Rules made in the UI or by other tools (behaviour page, "Strict in, lenient out").
    rules = [
        {"name": "SMTP.Example.com", "portDest": 465, "portOrig": 31000},
        {"portDest": 5432, "portOrig": 30432},
        {"name": "ldap.example.com", "portDest": 636, "portOrig": 30636, "protocol": "tcp"},
    ]
    configuration = {
        "programId": "4",
        "environmentId": "1",
        "networkInfrastructureId": "7",
        "nonProxyHosts": ["Intranet.Example.com"],
        "portForwards": rules,
        "advancedNetworkingEnabled": True,
    }
    stub.answer(
        "GET",
        NETWORKING_PATH,
        Answer(body={"_embedded": {"networkingConfigurations": [configuration]}}),
    )
    (config,) = stub_client.get_advanced_networking("4", "1")
    assert [(r.name, r.port_dest, r.port_orig) for r in config.port_forwards] == [
        ("SMTP.Example.com", 465, 31000),
        (None, 5432, 30432),
        ("ldap.example.com", 636, 30636),
    ]
    assert config.non_proxy_hosts == ["Intranet.Example.com"]


def test_get_advanced_networking__null_parts_read_as_absent(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    configuration = {
        "networkInfrastructureId": "7",
        "nonProxyHosts": None,
        "portForwards": None,
        "advancedNetworkingEnabled": None,
    }
    stub.answer(
        "GET",
        NETWORKING_PATH,
        Answer(body={"_embedded": {"networkingConfigurations": [configuration]}}),
    )
    (config,) = stub_client.get_advanced_networking("4", "1")
    assert (config.non_proxy_hosts, config.port_forwards) == ([], [])
    assert config.advanced_networking_enabled is False


def test_get_advanced_networking__unreadable_rule_names_the_field(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    configuration = {"portForwards": [{"name": "smtp.example.com", "portDest": "smtps"}]}
    stub.answer(
        "GET",
        NETWORKING_PATH,
        Answer(body={"_embedded": {"networkingConfigurations": [configuration]}}),
    )
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.get_advanced_networking("4", "1")
    where = "_embedded.networkingConfigurations[0].portForwards[0]"
    assert caught.value.field == f"{where}.portDest"
    assert str(caught.value) == (
        f"GET {NETWORKING_PATH} answered 200 with a body that cannot be read ("
        f"{where}.portDest: Input should be a valid integer, unable to parse string as an "
        f"integer; {where}.portOrig: Field required)"
    )
