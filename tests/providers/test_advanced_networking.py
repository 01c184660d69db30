"""The AdvancedNetworking provider against the emulator over real HTTP."""

from __future__ import annotations

import copy
from typing import Any

import pulumi
import pytest
from pulumi.runtime import rpc

from aem_pulumi.client import CloudManagerClient, NotFoundError
from aem_pulumi.client.settings import ENV_NAMES
from aem_pulumi.core.advanced_networking import AdvancedNetworkingInputs
from aem_pulumi.core.errors import OperationFailed, ProviderError, WaitTimeout
from aem_pulumi.core.ownership import CLAIMS
from aem_pulumi.dynamic import provider as base
from aem_pulumi.dynamic.advanced_networking import AdvancedNetworkingProvider
from aem_pulumi.dynamic.ledger import STACK_KEY
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate

STACK = "organization/project/stack"  # what the unit-test mocks report
PROGRAM, DEV = "10001", "20001"
WHO = "AdvancedNetworking 'net'"
SHARED_KEY = "Sup3r-S3cret-Shared-Key"
NEW_SHARED_KEY = "An0ther-S3cret-Shared-Key"
SIG_KEY, SECRET_SIG = "4dabf18193072939515e22adb298388d", "1b47061264138c4ac30d75fd1eb44270"
LIFECYCLE = 0.2  # seconds each emulated operation takes in lifecycle tests
POLICY = {
    "dh_group": "ECP256",
    "ike_encryption": "AES256",
    "ike_integrity": "SHA256",
    "ipsec_encryption": "AES256",
    "ipsec_integrity": "SHA256",
    "pfs_group": "None",
    "sa_datasize": 102400000,
    "sa_lifetime": 3600,
}
VPN: dict[str, Any] = {
    "address_space": ["10.104.182.64/26"],
    "dns_resolvers": ["10.151.201.22"],
    "dns_domains": None,
    "connections": [
        {
            "name": "corporate",
            "gateway_address": "195.231.212.78",
            "gateway_address_space": ["192.168.0.0/16"],
            "shared_key": SHARED_KEY,
            "ipsec_policy": POLICY,
        }
    ],
}


@pytest.fixture(autouse=True)
def _settings(monkeypatch: pytest.MonkeyPatch, credentials: dict[str, str]) -> None:
    """The provider's client points at the emulator; waits poll every 0.05 s."""
    base.CREDENTIALS.configure({})
    for key, variable in ENV_NAMES.items():
        if key in credentials:
            monkeypatch.setenv(variable, credentials[key])
    monkeypatch.setenv("AEM_POLL_INTERVAL", "0.05")


@pytest.fixture
def logged(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The provider's progress lines (pulumi.log.info goes to an engine once one was set up)."""
    lines: list[str] = []
    monkeypatch.setattr(pulumi.log, "info", lambda message, *args, **kwargs: lines.append(message))
    return lines


@pytest.fixture
def provider(emulator: EmulatorControl) -> AdvancedNetworkingProvider:
    """A provider on the freshly reset emulator."""
    return AdvancedNetworkingProvider()


@pytest.fixture
def client(emulator: EmulatorControl) -> CloudManagerClient:
    """The provider's own client (on the freshly reset emulator)."""
    return base.CREDENTIALS.client()


@pytest.fixture
def lifecycle(emulator: EmulatorControl) -> EmulatorControl:
    """The emulator with every operation taking LIFECYCLE seconds (creating, updating ...)."""
    names = (
        "infrastructure_create",
        "infrastructure_create_vpn",
        "infrastructure_update",
        "infrastructure_delete",
        "environment_update",
    )
    emulator.set_timings(**dict.fromkeys(names, LIFECYCLE))
    return emulator


def _raw(**changes: Any) -> dict[str, Any]:
    """Inputs as the resource class sends them (None values are dropped by the SDK)."""
    raw = {"resource_name": "net", "program_id": PROGRAM, "kind": "flexiblePortEgress"}
    raw = {**raw, "region": "va7", **changes}
    return {k: v for k, v in raw.items() if v is not None}


def _vpn(**changes: Any) -> dict[str, Any]:
    vpn = copy.deepcopy(VPN)
    vpn.update(changes)
    return vpn


def _inputs(provider: AdvancedNetworkingProvider, **changes: Any) -> dict[str, Any]:
    """Checked inputs plus `__provider`, as the engine passes them to create/update."""
    result = provider.check({}, _raw(**changes))
    assert result.failures == []
    return {**result.inputs, base.PROVIDER_KEY: "pickled-provider"}


def _create(provider: AdvancedNetworkingProvider, **changes: Any) -> tuple[str, dict[str, Any]]:
    result = provider.create(_inputs(provider, **changes))
    assert result.outs is not None
    return result.id, result.outs


def _requests(emulator: EmulatorControl, method: str) -> list[str]:
    return [r["path"] for r in emulator.requests() if r["method"] == method]


# --- create ---------------------------------------------------------------------------------


def test_create(
    provider: AdvancedNetworkingProvider,
    lifecycle: EmulatorControl,
    client: CloudManagerClient,
    logged: list[str],
) -> None:
    id_, outs = _create(provider)
    infrastructure_id = outs["infrastructure_id"]
    progress = f"{WHO}: waiting for network infrastructure {infrastructure_id} ('creating', "
    assert any(line.startswith(progress) for line in logged)
    assert id_ == f"{PROGRAM}/{infrastructure_id}"
    assert outs == {
        "resource_name": "net",
        "program_id": PROGRAM,
        "kind": "flexiblePortEgress",
        "region": "va7",
        "vpn": None,
        "adopt": False,
        "timeouts": None,
        "infrastructure_id": infrastructure_id,
        "status": "ready",
        "egress_host": None,  # flexiblePortEgress has no dedicated egress IP
        "vpn_gateway_host": None,
    }
    assert client.get_network_infrastructure(PROGRAM, infrastructure_id).status == "ready"


def test_create__timeout(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl, client: CloudManagerClient
) -> None:
    emulator.set_timings(infrastructure_create=30)
    with pytest.raises(WaitTimeout) as failure:
        _create(provider, timeouts={"create": "0.2s"})
    (infrastructure,) = client.list_network_infrastructures(PROGRAM)
    assert str(failure.value) == (
        f"{WHO}: network infrastructure {infrastructure.id} is 'creating'; waited 0m0s "
        "(timeout), raise timeouts.create or retry later"
    )


def test_create__vpn(provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    assert (outs["status"], outs["vpn"]) == ("ready", VPN)
    assert id_ == f"{PROGRAM}/{outs['infrastructure_id']}"


def test_create__failed(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl, client: CloudManagerClient
) -> None:
    lifecycle.inject_fault("fail", operation="infrastructure_create")
    with pytest.raises(OperationFailed) as failure:
        _create(provider)
    (infrastructure,) = client.list_network_infrastructures(PROGRAM)
    assert str(failure.value) == (
        f"{WHO}: network infrastructure {infrastructure.id} ended 'failed': Network "
        f"infrastructure {infrastructure.id}: create failed (injected fault) "
        "(NETWORK_INFRASTRUCTURE_CREATE_FAILED)"
    )


def test_create__existing_without_adopt(
    provider: AdvancedNetworkingProvider, client: CloudManagerClient
) -> None:
    existing = client.create_network_infrastructure(
        PROGRAM, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    with pytest.raises(ProviderError) as failure:
        _create(provider)
    assert str(failure.value) == (
        f"{WHO}: program {PROGRAM} already has network infrastructure {existing.id} "
        "(flexiblePortEgress, 'ready') in region va7; set adopt=True to take it over, "
        "or delete it first"
    )


def test_create__adopt_matching(
    provider: AdvancedNetworkingProvider, client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    existing = client.create_network_infrastructure(
        PROGRAM, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    id_, outs = _create(provider, adopt=True)
    assert (id_, outs["status"], outs["adopt"]) == (f"{PROGRAM}/{existing.id}", "ready", True)
    assert len(client.list_network_infrastructures(PROGRAM)) == 1
    assert _requests(emulator, "POST").count(f"/api/program/{PROGRAM}/networkInfrastructures") == 1


def test_create__adopt_different(
    provider: AdvancedNetworkingProvider, client: CloudManagerClient
) -> None:
    existing = client.create_network_infrastructure(
        PROGRAM, NetworkInfrastructure(kind="dedicatedEgressIp", region="va7")
    )
    with pytest.raises(ProviderError) as failure:
        _create(provider, adopt=True)
    assert str(failure.value) == (
        f"{WHO}: cannot adopt: program {PROGRAM} already has network infrastructure "
        f"{existing.id} (dedicatedEgressIp, 'ready') in region va7, which differs from the "
        "inputs: kind is 'dedicatedEgressIp', the inputs say 'flexiblePortEgress'. Change the "
        "inputs to match, or delete it first"
    )


def test_create__adopt_different_vpn_settings(provider: AdvancedNetworkingProvider) -> None:
    _create(provider, resource_name="first", kind="vpn", vpn=_vpn())
    CLAIMS.reset()  # the adopting resource belongs to another deployment
    changed = _vpn(dns_resolvers=["10.151.201.23"])
    changed["connections"][0]["shared_key"] = NEW_SHARED_KEY  # write-only: not compared
    with pytest.raises(ProviderError) as failure:
        _create(provider, kind="vpn", vpn=changed, adopt=True)
    message = str(failure.value)
    assert message.endswith(
        "which differs from the inputs: vpn.dns_resolvers[0] is '10.151.201.22', the inputs "
        "say '10.151.201.23'. Change the inputs to match, or delete it first"
    )


# --- diff -----------------------------------------------------------------------------------


def test_diff__no_changes(provider: AdvancedNetworkingProvider, emulator: EmulatorControl) -> None:
    id_, outs = _create(provider)
    diff = provider.diff(id_, outs, _inputs(provider))
    assert (diff.changes, diff.replaces) == (False, [])


@pytest.mark.parametrize(
    ("change", "replaces"),
    [({"kind": "dedicatedEgressIp"}, ["kind"]), ({"region": "nld2"}, ["region"])],
    ids=["kind_replaces", "region_replaces"],
)
def test_diff__replaces(
    provider: AdvancedNetworkingProvider,
    emulator: EmulatorControl,
    change: dict[str, str],
    replaces: list[str],
) -> None:
    id_, outs = _create(provider)
    diff = provider.diff(id_, outs, _inputs(provider, **change))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, replaces, True)


def _vpn_outputs(**changes: Any) -> dict[str, Any]:
    """Outputs of a ready VPN (no API call: diff needs none)."""
    outs = _raw(kind="vpn", vpn=_vpn(), adopt=False, **changes)
    return {**outs, "timeouts": None, "infrastructure_id": "1", "status": "ready"}


def test_diff__vpn_updates_in_place(provider: AdvancedNetworkingProvider) -> None:
    changed = _vpn(dns_resolvers=["10.151.201.23"])
    changed["connections"][0]["shared_key"] = NEW_SHARED_KEY
    diff = provider.diff(f"{PROGRAM}/1", _vpn_outputs(), _inputs(provider, kind="vpn", vpn=changed))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, [], False)


def test_diff__vpn_address_space_replaces(provider: AdvancedNetworkingProvider) -> None:
    changed = _vpn(address_space=["10.104.183.0/26"])
    diff = provider.diff(f"{PROGRAM}/1", _vpn_outputs(), _inputs(provider, kind="vpn", vpn=changed))
    assert (diff.changes, diff.replaces, diff.delete_before_replace) == (True, ["vpn"], True)


def test_diff__timeouts_only(provider: AdvancedNetworkingProvider) -> None:
    news = _inputs(provider, kind="vpn", vpn=_vpn(), timeouts={"create": "3h"})
    diff = provider.diff(f"{PROGRAM}/1", _vpn_outputs(), news)
    assert (diff.changes, diff.replaces) == (True, [])


# --- update ---------------------------------------------------------------------------------


def test_update__vpn(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl, client: CloudManagerClient
) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    changed = _vpn(dns_resolvers=["10.151.201.23"])
    changed["connections"][0]["shared_key"] = NEW_SHARED_KEY
    lifecycle.clear_requests()
    result = provider.update(id_, outs, _inputs(provider, kind="vpn", vpn=changed))
    assert result.outs == {**outs, "vpn": changed, "status": "ready"}
    path = f"/api/program/{PROGRAM}/networkInfrastructure/{outs['infrastructure_id']}"
    assert _requests(lifecycle, "PUT") == [path]
    found = client.get_network_infrastructure(PROGRAM, outs["infrastructure_id"])
    assert (found.status, found.dns and found.dns.resolvers) == ("ready", ["10.151.201.23"])


def test_update__failed_then_retried(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl
) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    news = _inputs(provider, kind="vpn", vpn=_vpn(dns_resolvers=["10.151.201.23"]))
    lifecycle.inject_fault("fail", operation="infrastructure_update")
    with pytest.raises(OperationFailed) as failure:
        provider.update(id_, outs, news)
    assert str(failure.value) == (
        f"{WHO}: network infrastructure {outs['infrastructure_id']} ended 'failed': Network "
        f"infrastructure {outs['infrastructure_id']}: update failed (injected fault) "
        "(NETWORK_INFRASTRUCTURE_UPDATE_FAILED)"
    )
    # The engine keeps the old outputs; the next `pulumi up` tries again from `failed`.
    result = provider.update(id_, outs, news)
    assert result.outs is not None
    assert (result.outs["status"], result.outs["vpn"]["dns_resolvers"]) == (
        "ready",
        ["10.151.201.23"],
    )


def test_update__local_inputs_only(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    id_, outs = _create(provider)
    emulator.clear_requests()
    result = provider.update(id_, outs, _inputs(provider, timeouts={"delete": "2h"}))
    assert result.outs == {**outs, "timeouts": {"delete": "2h"}}
    assert _requests(emulator, "PUT") == []


# --- read -----------------------------------------------------------------------------------


def test_read(provider: AdvancedNetworkingProvider, emulator: EmulatorControl) -> None:
    id_, outs = _create(provider)
    result = provider.read(id_, outs)
    assert (result.id, result.outs) == (id_, outs)
    outputs_only = ("infrastructure_id", "status", "egress_host", "vpn_gateway_host")
    assert result.inputs == {k: v for k, v in outs.items() if k not in outputs_only}


def test_read__vpn_keeps_shared_keys(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    result = provider.read(id_, outs)
    assert result.outs is not None
    assert result.outs["vpn"] == VPN  # the API never returns the key: it is the stored one


def test_read__vpn_without_stored_key(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    result = provider.read(id_, {**outs, "vpn": None})
    assert result.outs is not None
    expected = _vpn()
    expected["connections"][0]["shared_key"] = None  # unknown: never the API's mask
    assert result.outs["vpn"] == expected


def test_read__current_status(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl, client: CloudManagerClient
) -> None:
    id_, outs = _create(provider)
    client.delete_network_infrastructure(PROGRAM, outs["infrastructure_id"])
    result = provider.read(id_, outs)
    assert result.outs == {**outs, "status": "deleting"}


def test_read__deleted_out_of_band(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl, client: CloudManagerClient
) -> None:
    id_, outs = _create(provider)
    client.delete_network_infrastructure(PROGRAM, outs["infrastructure_id"])
    result = provider.read(id_, outs)
    assert (result.id, result.outs) == (None, {})


# --- delete ---------------------------------------------------------------------------------


def test_delete(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl, client: CloudManagerClient
) -> None:
    id_, outs = _create(provider)
    provider.delete(id_, outs)
    with pytest.raises(NotFoundError):
        client.get_network_infrastructure(PROGRAM, outs["infrastructure_id"])


def test_delete__already_gone(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    provider.delete(f"{PROGRAM}/99999", {"resource_name": "net"})
    assert _requests(emulator, "DELETE") == []


def test_delete__environments_enabled(
    provider: AdvancedNetworkingProvider, lifecycle: EmulatorControl, client: CloudManagerClient
) -> None:
    id_, outs = _create(provider)
    client.put_advanced_networking(PROGRAM, DEV, AdvancedNetworkingUpdate())
    with pytest.raises(ProviderError) as failure:
        provider.delete(id_, outs)
    assert str(failure.value) == (
        f"{WHO}: cannot delete network infrastructure {outs['infrastructure_id']}: advanced "
        f"networking is still enabled on environment {DEV} (dev); disable it there first "
        "(remove their advanced networking configuration), then retry"
    )


# --- check ----------------------------------------------------------------------------------


def _ipsec(**changes: Any) -> dict[str, Any]:
    return _vpn(connections=[{**VPN["connections"][0], "ipsec_policy": {**POLICY, **changes}}])


def _connection(**changes: Any) -> dict[str, Any]:
    connection = {k: v for k, v in {**VPN["connections"][0], **changes}.items() if v is not None}
    return _vpn(connections=[connection])


CONNECTION = "vpn.connections[0]"
CHECK_CASES: list[tuple[str, dict[str, Any], str, str]] = [
    ("kind", {"kind": "vpnGateway"}, "kind", "Input should be 'flexiblePortEgress', 'dedicatedEgressIp' or 'vpn'"),
    ("kind_missing", {"kind": None}, "kind", "Field required"),
    ("program_id", {"program_id": "wknd"}, "program_id", "must be a Cloud Manager program id (digits), such as 10001"),
    ("region_empty", {"region": ""}, "region", "must not be empty: give a region name such as va7 or nld2"),
    ("region_case", {"region": "VA7"}, "region", "must be a lower-case region name such as va7 or nld2"),
    ("vpn_for_other_kind", {"vpn": _vpn()}, "vpn", "is only allowed when kind is 'vpn', not 'flexiblePortEgress'"),
    ("vpn_missing", {"kind": "vpn"}, "vpn", "is required when kind is 'vpn'"),
    ("address_space_empty", {"kind": "vpn", "vpn": _vpn(address_space=[])}, "vpn.address_space", "List should have at least 1 item after validation, not 0"),
    ("address_space_not_cidr", {"kind": "vpn", "vpn": _vpn(address_space=["10.0.0.0"])}, "vpn.address_space[0]", "'10.0.0.0' is not an IPv4 CIDR such as 10.0.0.0/26"),
    ("address_space_host_bits", {"kind": "vpn", "vpn": _vpn(address_space=["10.0.0.1/26"])}, "vpn.address_space[0]", "'10.0.0.1/26' is not an IPv4 CIDR such as 10.0.0.0/26"),
    ("address_space_too_small", {"kind": "vpn", "vpn": _vpn(address_space=["10.0.0.0/27"])}, "vpn.address_space[0]", "'10.0.0.0/27' is smaller than a /26 (the API needs 64 addresses or more)"),
    ("dns_resolvers_empty", {"kind": "vpn", "vpn": _vpn(dns_resolvers=[])}, "vpn.dns_resolvers", "List should have at least 1 item after validation, not 0"),
    ("dns_resolver_not_ip", {"kind": "vpn", "vpn": _vpn(dns_resolvers=["dns.corp"])}, "vpn.dns_resolvers[0]", "'dns.corp' is not an IPv4 address such as 203.0.113.10"),
    ("connections_missing", {"kind": "vpn", "vpn": {"address_space": ["10.0.0.0/26"], "dns_resolvers": ["10.0.0.2"]}}, "vpn.connections", "Field required"),
    ("connection_names_repeated", {"kind": "vpn", "vpn": _vpn(connections=VPN["connections"] * 2)}, "vpn.connections", "connection names must be unique: corporate repeated"),
    ("gateway_address", {"kind": "vpn", "vpn": _connection(gateway_address="vpn.corp.example")}, f"{CONNECTION}.gateway_address", "'vpn.corp.example' is not an IPv4 address such as 203.0.113.10"),
    ("gateway_address_space", {"kind": "vpn", "vpn": _connection(gateway_address_space=["192.168.0.0/33"])}, f"{CONNECTION}.gateway_address_space[0]", "'192.168.0.0/33' is not an IPv4 CIDR such as 10.0.0.0/26"),
    ("shared_key_missing", {"kind": "vpn", "vpn": _connection(shared_key=None)}, f"{CONNECTION}.shared_key", "Field required"),
    ("shared_key_empty", {"kind": "vpn", "vpn": _connection(shared_key="")}, f"{CONNECTION}.shared_key", "String should have at least 1 character"),
    ("dh_group", {"kind": "vpn", "vpn": _ipsec(dh_group="DHGroup5")}, f"{CONNECTION}.ipsec_policy.dh_group", "Input should be 'DHGroup24', 'ECP384', 'ECP256', 'DHGroup14', 'DHGroup2048', 'DHGroup2', 'DHGroup1' or 'None'"),
    ("ike_encryption", {"kind": "vpn", "vpn": _ipsec(ike_encryption="aes256")}, f"{CONNECTION}.ipsec_policy.ike_encryption", "Input should be 'AES256', 'AES192', 'AES128', 'DES3' or 'DES'"),
    ("ipsec_integrity", {"kind": "vpn", "vpn": _ipsec(ipsec_integrity="SHA384")}, f"{CONNECTION}.ipsec_policy.ipsec_integrity", "Input should be 'GCMAES256', 'GCMAES192', 'GCMAES128', 'SHA256', 'SHA1' or 'MD5'"),
    ("pfs_group", {"kind": "vpn", "vpn": _ipsec(pfs_group="PFS14")}, f"{CONNECTION}.ipsec_policy.pfs_group", "Input should be 'PFS24', 'ECP384', 'ECP256', 'PFS2048', 'PFS2', 'PFS1' or 'None'"),
    ("sa_datasize", {"kind": "vpn", "vpn": _ipsec(sa_datasize=1023)}, f"{CONNECTION}.ipsec_policy.sa_datasize", "Input should be greater than or equal to 1024"),
    ("sa_lifetime", {"kind": "vpn", "vpn": _ipsec(sa_lifetime=299)}, f"{CONNECTION}.ipsec_policy.sa_lifetime", "Input should be greater than or equal to 300"),
    ("unknown_key", {"regions": ["va7"]}, "regions", "Extra inputs are not permitted"),
    ("unknown_vpn_key", {"kind": "vpn", "vpn": _vpn(dns={"resolvers": []})}, "vpn.dns", "Extra inputs are not permitted"),
    ("unknown_connection_key", {"kind": "vpn", "vpn": _connection(psk="x")}, f"{CONNECTION}.psk", "Extra inputs are not permitted"),
    ("timeouts_not_duration", {"timeouts": {"create": "soon"}}, "timeouts", "'soon' is not a duration such as 90m, 1h30m or 45s"),
    ("timeouts_unknown_operation", {"timeouts": {"destroy": "5m"}}, "timeouts", "'destroy' is not an operation; use create, update or delete"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "prop", "reason"),
    [case[1:] for case in CHECK_CASES],
    ids=[case[0] for case in CHECK_CASES],
)
def test_check__invalid(
    provider: AdvancedNetworkingProvider, changes: dict[str, Any], prop: str, reason: str
) -> None:
    failures = provider.check({}, _raw(**changes)).failures
    assert [(f.property, f.reason) for f in failures] == [(prop, reason)]


def test_check(provider: AdvancedNetworkingProvider) -> None:
    result = provider.check({}, _raw(kind="vpn", vpn=_vpn(), timeouts={"create": "3h"}))
    assert result.failures == []
    assert result.inputs == {**_raw(kind="vpn", vpn=VPN, timeouts={"create": "3h"}), "adopt": False}


@pytest.mark.parametrize(
    "changes",
    [
        {"kind": rpc.UNKNOWN, "vpn": _vpn()},
        {"region": rpc.UNKNOWN},
        {"program_id": rpc.UNKNOWN},
        {"kind": "vpn", "vpn": rpc.UNKNOWN},
        {"kind": "vpn", "vpn": _connection(shared_key=rpc.UNKNOWN)},
        {"kind": "vpn", "vpn": _vpn(address_space=[rpc.UNKNOWN])},
        {"timeouts": rpc.UNKNOWN},
    ],
    ids=["kind", "region", "program_id", "vpn", "shared_key", "address_space", "timeouts"],
)
def test_check__unknown_values_accepted(
    provider: AdvancedNetworkingProvider, changes: dict[str, Any]
) -> None:
    result = provider.check({}, _raw(**changes))
    # Unknown-bearing inputs pass through as given, with the static defaults filled in.
    expected = {"vpn": None, "adopt": False, "timeouts": None, **_raw(**changes)}
    assert (result.failures, result.inputs) == ([], expected)


def test_check__unknown_values_do_not_hide_other_failures(
    provider: AdvancedNetworkingProvider,
) -> None:
    failures = provider.check({}, _raw(region=rpc.UNKNOWN, kind="vpnGateway")).failures
    assert [f.property for f in failures] == ["kind"]


# --- secrets --------------------------------------------------------------------------------


def test_shared_key__in_no_message(
    provider: AdvancedNetworkingProvider,
    lifecycle: EmulatorControl,
    client: CloudManagerClient,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    logged: list[str],
) -> None:
    messages = [repr(AdvancedNetworkingInputs.model_validate(_raw(kind="vpn", vpn=_vpn())))]
    bad = _connection(shared_key=SHARED_KEY, gateway_address="vpn.corp.example")
    messages += [f.reason for f in provider.check({}, _raw(kind="vpn", vpn=bad)).failures]
    with pytest.raises(ProviderError) as invalid:
        provider.create({**_raw(kind="vpn", vpn=bad)})
    messages.append(str(invalid.value))
    lifecycle.inject_fault("fail", operation="infrastructure_create")
    with pytest.raises(Exception) as failed:  # any failure: its text is checked
        _create(provider, kind="vpn", vpn=_vpn())
    messages.append(str(failed.value))
    output = capfd.readouterr()
    messages += [output.out, output.err, caplog.text, *logged]
    assert len(logged) >= 2  # the progress lines were seen (creating, waiting)
    assert all(SHARED_KEY not in message for message in messages)
    assert "not an IPv4 address" in messages[1]


def test_shared_key__in_no_api_error(
    provider: AdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    id_, outs = _create(provider, kind="vpn", vpn=_vpn())
    # The spec: the address space cannot change; the API's refusal must not echo the key.
    refused = _inputs(provider, kind="vpn", vpn=_vpn(address_space=["10.104.183.0/26"]))
    with pytest.raises(ProviderError) as failure:
        provider.update(id_, outs, refused)
    assert "failed with 400" in str(failure.value)
    assert SHARED_KEY not in str(failure.value)


# --- the resource class ---------------------------------------------------------------------


class _Mocks(pulumi.runtime.Mocks):
    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"{PROGRAM}/1", {**args.inputs, "infrastructure_id": "1", "status": "ready"}

    def call(
        self, args: pulumi.runtime.MockCallArgs
    ) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return {}, None


@pytest.fixture
def mocks() -> _Mocks:
    recorded = _Mocks()
    pulumi.runtime.set_mocks(recorded, preview=False)
    return recorded


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_resource_class__props(mocks: _Mocks) -> Any:
    from aem_pulumi.dynamic.advanced_networking import AdvancedNetworking

    resource = AdvancedNetworking(
        "net", program_id=PROGRAM, kind="vpn", region="va7", vpn=_vpn(), timeouts={"create": "3h"}
    )

    def check(values: list[Any]) -> None:
        (args,) = mocks.created
        assert args.typ == "pulumi-python:dynamic/aem:AdvancedNetworking"
        inputs = {k: v for k, v in args.inputs.items() if k != base.PROVIDER_KEY}
        sent = {k: v for k, v in VPN.items() if v is not None}  # the SDK drops None values
        secret_vpn = {SIG_KEY: SECRET_SIG, "value": sent}  # sent to the engine as a secret
        assert inputs == {
            **_raw(kind="vpn", vpn=secret_vpn, adopt=False, timeouts={"create": "3h"}),
            STACK_KEY: STACK,
        }
        assert values == ["1", "ready"]
        assert SHARED_KEY not in str(args.inputs[base.PROVIDER_KEY])

    return pulumi.Output.all(resource.infrastructure_id, resource.status).apply(check)


def test_create__vpn_dns_domains_and_egress_hosts(
    provider: AdvancedNetworkingProvider, client: CloudManagerClient
) -> None:
    _, outs = _create(provider, kind="vpn", vpn=_vpn(dns_domains=["corp.example.com"]))

    assert (outs["egress_host"], outs["vpn_gateway_host"]) == (
        "p10001.external.adobeaemcloud.com",
        "p10001.va7-gateway.external.adobeaemcloud.com",
    )
    found = client.get_network_infrastructure(PROGRAM, outs["infrastructure_id"])
    assert found.dns is not None
    assert found.dns.domains == ["corp.example.com"]
    assert outs["vpn"]["dns_domains"] == ["corp.example.com"]


def test_check__dns_domain_must_be_a_host_name(provider: AdvancedNetworkingProvider) -> None:
    result = provider.check({}, _raw(kind="vpn", vpn=_vpn(dns_domains=["Corp Example"])))

    [failure] = result.failures
    assert failure.property == "vpn.dns_domains[0]"
    assert (
        failure.reason == "'Corp Example' is not a lower-case domain name such as corp.example.com"
    )
