"""Advanced networking on an environment: get, enable/replace (PUT) and disable (DELETE)."""

from __future__ import annotations

from typing import Any

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings

from .conftest import DEV, Api, environment, error, problem, refused

NETWORKING = f"{environment(DEV)}/advancedNetworking"
SMTP = {"name": "smtp.example.com", "portDest": 465, "portOrig": 30465}


def _configurations(api: Api, env_id: str = DEV) -> list[Any]:
    """The configurations GET answers."""
    path = f"{environment(env_id)}/advancedNetworking"
    return list(api.body(path)["_embedded"]["networkingConfigurations"])


_refused = refused
NO_READY_INFRASTRUCTURE = problem(
    ("programId", "program 10001 has no ready network infrastructure")
)


def _invalid(api: Api, body: dict[str, Any], name: str, reason: str) -> None:
    """PUT `body` is refused with a validation-exception problem naming one field."""
    _refused(api.put(NETWORKING, body), problem((name, reason)))


def test_get_environment_advanced_networking_configuration_list__no_infrastructure(
    api: Api,
) -> None:
    body = api.body(NETWORKING)
    assert (body["_totalNumberOfItems"], body["_embedded"]) == (0, {"networkingConfigurations": []})


def test_get_environment_advanced_networking_configuration_list__not_enabled(
    api: Api, ready_infrastructure: Any
) -> None:
    configuration = _configurations(api)[0]
    del configuration["_links"]
    assert configuration == {
        "programId": "10001",
        "environmentId": DEV,
        "networkInfrastructureId": ready_infrastructure["id"],
        "nonProxyHosts": [],
        "portForwards": [],
        "advancedNetworkingEnabled": False,
    }


def test_get_environment_advanced_networking_configuration_list__one_per_region(
    api: Api, ready_infrastructure: Any, production_in_nld2: dict[str, Any]
) -> None:
    second = api.create_infrastructure(region="nld2")
    api.enable(DEV, {"portForwards": [SMTP]})
    configurations = _configurations(api)
    ids = [c["networkInfrastructureId"] for c in configurations]
    assert ids == [ready_infrastructure["id"], second["id"]]
    assert all(
        c["portForwards"] == [SMTP] and c["advancedNetworkingEnabled"] for c in configurations
    )


def test_get_environment_advanced_networking_configuration_list__not_found(api: Api) -> None:
    response = api.get(f"{environment('29999')}/advancedNetworking")
    _refused(response, error(404, "Environment 29999 not found in program 10001"))


def test_enable_environment_advanced_networking_configuration(
    api: Api, emulator: EmulatorControl, dedicated_infrastructure: Any
) -> None:
    emulator.set_timings(environment_update=0.3)
    rules = {"nonProxyHosts": ["*.example.com", "example.net"], "portForwards": [SMTP]}
    response = api.put(NETWORKING, rules)
    assert (response.status_code, response.json()["id"]) == (200, DEV)
    assert response.json()["status"] == "updating"
    api.wait_for_status(environment(DEV), "ready")
    configuration = _configurations(api)[0]
    assert configuration["advancedNetworkingEnabled"] is True
    assert (configuration["nonProxyHosts"], configuration["portForwards"]) == (
        rules["nonProxyHosts"],
        [SMTP],
    )


def test_enable_environment_advanced_networking_configuration__empty_body(
    api: Api, ready_infrastructure: Any
) -> None:
    assert api.enable(DEV, {})["status"] == "ready"
    configuration = _configurations(api)[0]
    assert configuration["advancedNetworkingEnabled"] is True
    assert (configuration["nonProxyHosts"], configuration["portForwards"]) == ([], [])


def test_enable_environment_advanced_networking_configuration__replaces_everything(
    api: Api, dedicated_infrastructure: Any
) -> None:
    api.enable(DEV, {"nonProxyHosts": ["*.example.com"], "portForwards": [SMTP]})
    submission = {"name": "smtp.example.com", "portDest": 587, "portOrig": 30587}
    api.enable(DEV, {"portForwards": [submission]})
    configuration = _configurations(api)[0]
    assert (configuration["nonProxyHosts"], configuration["portForwards"]) == ([], [submission])


def test_enable_environment_advanced_networking_configuration__port_orig_31000(
    api: Api, ready_infrastructure: Any
) -> None:
    rule = {"name": "10.0.0.5", "portDest": 1, "portOrig": 31000}
    api.enable(DEV, {"portForwards": [rule]})
    assert _configurations(api)[0]["portForwards"] == [rule]


def test_enable_environment_advanced_networking_configuration__repeated_port_orig(
    api: Api, ready_infrastructure: Any
) -> None:
    other = {"name": "db.example.com", "portDest": 5432, "portOrig": 30465}
    reason = "30465 is already used by portForwards[0]; must be unique"
    _invalid(api, {"portForwards": [SMTP, other]}, "portForwards[1].portOrig", reason)


@pytest.mark.parametrize(
    ("port_orig", "reason"),
    [
        (29999, "Input should be greater than or equal to 30000"),
        (31001, "Input should be less than or equal to 31000"),
    ],
)
def test_enable_environment_advanced_networking_configuration__port_orig_out_of_range(
    api: Api, ready_infrastructure: Any, port_orig: int, reason: str
) -> None:
    rule = {**SMTP, "portOrig": port_orig}
    _invalid(api, {"portForwards": [SMTP, rule]}, "portForwards[1].portOrig", reason)


@pytest.mark.parametrize(
    ("port_dest", "reason"),
    [
        (0, "Input should be greater than or equal to 1"),
        (65536, "Input should be less than or equal to 65535"),
    ],
)
def test_enable_environment_advanced_networking_configuration__port_dest_out_of_range(
    api: Api, ready_infrastructure: Any, port_dest: int, reason: str
) -> None:
    rule = {**SMTP, "portDest": port_dest}
    _invalid(api, {"portForwards": [rule]}, "portForwards[0].portDest", reason)


def test_enable_environment_advanced_networking_configuration__missing_port_orig(
    api: Api, ready_infrastructure: Any
) -> None:
    body = {"portForwards": [{"name": "smtp.example.com", "portDest": 465}]}
    _invalid(api, body, "portForwards[0].portOrig", "is required")


def test_enable_environment_advanced_networking_configuration__upper_case_name(
    api: Api, ready_infrastructure: Any
) -> None:
    rule = {**SMTP, "name": "SMTP.example.com"}
    pattern = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?([.][a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
    reason = f"String should match pattern '{pattern}'"
    _invalid(api, {"portForwards": [rule]}, "portForwards[0].name", reason)


@pytest.mark.parametrize("kind", ["dedicatedEgressIp", "vpn"])
def test_enable_environment_advanced_networking_configuration__non_proxy_hosts(
    api: Api, kind: str
) -> None:
    api.create_infrastructure(kind)
    api.enable(DEV, {"nonProxyHosts": ["*.example.com"]})
    assert _configurations(api)[0]["nonProxyHosts"] == ["*.example.com"]


def test_enable_environment_advanced_networking_configuration__non_proxy_hosts_on_flexible(
    api: Api, ready_infrastructure: Any
) -> None:
    reason = (
        "program 10001 uses flexiblePortEgress: non-proxy hosts are only available with"
        " dedicatedEgressIp and vpn"
    )
    _invalid(
        api, {"nonProxyHosts": ["*.example.com"], "portForwards": [SMTP]}, "nonProxyHosts", reason
    )
    assert _configurations(api)[0]["advancedNetworkingEnabled"] is False


def test_enable_environment_advanced_networking_configuration__no_hosts_on_flexible(
    api: Api, ready_infrastructure: Any
) -> None:
    api.enable(DEV, {"nonProxyHosts": [], "portForwards": [SMTP]})
    assert _configurations(api)[0]["portForwards"] == [SMTP]


def test_enable_environment_advanced_networking_configuration__not_json(
    api: Api, ready_infrastructure: Any
) -> None:
    response = api.call("PUT", NETWORKING, data="{", headers={"Content-Type": "application/json"})
    _refused(response, problem(("body", "is missing or not valid JSON")))


@pytest.mark.parametrize("host", ["example.*", "mail.*.example.com", "*"])
def test_enable_environment_advanced_networking_configuration__wildcard_not_leading(
    api: Api, dedicated_infrastructure: Any, host: str
) -> None:
    reason = "a wildcard '*' is only allowed at the start, as in '*.example.com'"
    _invalid(api, {"nonProxyHosts": ["ok.example.com", host]}, "nonProxyHosts[1]", reason)


def test_enable_environment_advanced_networking_configuration__no_infrastructure(
    api: Api,
) -> None:
    _refused(api.put(NETWORKING, {}), NO_READY_INFRASTRUCTURE)


def test_enable_environment_advanced_networking_configuration__infrastructure_creating(
    api: Api, emulator: EmulatorControl
) -> None:
    emulator.set_timings(infrastructure_create=30)
    api.create_infrastructure()
    _refused(api.put(NETWORKING, {}), NO_READY_INFRASTRUCTURE)


def test_enable_environment_advanced_networking_configuration__busy(
    api: Api, emulator: EmulatorControl, ready_infrastructure: Any
) -> None:
    emulator.make_busy("10001", DEV, 30)
    _refused(api.put(NETWORKING, {}), error(409, "Environment 20001 is busy (status updating)"))


def test_enable_environment_advanced_networking_configuration__while_updating(
    api: Api, emulator: EmulatorControl, ready_infrastructure: Any
) -> None:
    emulator.set_timings(environment_update=30)
    api.enable(DEV)
    _refused(api.put(NETWORKING, {}), error(409, "Environment 20001 is busy (status updating)"))


def test_enable_environment_advanced_networking_configuration__busy_status_400(
    credentials: dict[str, str],
) -> None:
    with EmulatorServer(timings=Timings.zero(), busy_status=400) as server:
        api = Api({**credentials, "api_url": server.url, "ims_url": server.url})
        api.create_infrastructure()
        EmulatorControl(server.url).make_busy("10001", DEV, 30)
        busy = error(400, "Environment 20001 is busy (status updating)")
        _refused(api.put(NETWORKING, {}), busy)


def _not_found() -> dict[str, Any]:
    """The 404 of environment 20099."""
    return error(404, "Environment 20099 not found in program 10001")


def test_enable_environment_advanced_networking_configuration__not_found(api: Api) -> None:
    _refused(api.put(f"{environment('20099')}/advancedNetworking", {}), _not_found())


def test_disable_environment_advanced_networking_configuration(
    api: Api, emulator: EmulatorControl, ready_infrastructure: Any
) -> None:
    api.enable(DEV, {"portForwards": [SMTP]})
    emulator.set_timings(environment_update=0.3)
    response = api.delete(NETWORKING)
    assert (response.status_code, response.json()["status"]) == (200, "updating")
    api.wait_for_status(environment(DEV), "ready")
    configuration = _configurations(api)[0]
    assert (configuration["advancedNetworkingEnabled"], configuration["portForwards"]) == (
        False,
        [],
    )


def test_disable_environment_advanced_networking_configuration__not_enabled(
    api: Api, ready_infrastructure: Any
) -> None:
    reason = "advanced networking is not enabled on environment 20001"
    _refused(api.delete(NETWORKING), problem(("environmentId", reason)))


def test_disable_environment_advanced_networking_configuration__busy(
    api: Api, emulator: EmulatorControl, ready_infrastructure: Any
) -> None:
    api.enable(DEV)
    emulator.make_busy("10001", DEV, 30)
    _refused(api.delete(NETWORKING), error(409, "Environment 20001 is busy (status updating)"))


def test_disable_environment_advanced_networking_configuration__not_found(api: Api) -> None:
    _refused(api.delete(f"{environment('20099')}/advancedNetworking"), _not_found())
