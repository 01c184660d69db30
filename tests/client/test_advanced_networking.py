"""Advanced networking operations against the emulator."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, ConflictError, ValidationError
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import AdvancedNetworkingUpdate, PortForward
from aem_pulumi.models.network import NetworkInfrastructure

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
    assert config.port_forwards == [SMTP]


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
