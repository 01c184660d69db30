"""The five network infrastructure operations and their rules."""

from __future__ import annotations

from typing import Any

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import (
    DEV,
    INFRASTRUCTURES,
    PROGRAM,
    REL,
    Api,
    environment,
    error,
    infrastructure,
    poll,
    vpn_body,
)

CANNOT_CREATE = "Network infrastructure cannot be created"
CANNOT_UPDATE = "Network infrastructure cannot be updated"


def _refused(response: Any, expected: dict[str, Any]) -> None:
    """The call was refused with exactly this body."""
    assert (response.status_code, response.json()) == (expected["status"], expected)


def test_create_network_infrastructure(api: Api, emulator: EmulatorControl) -> None:
    emulator.set_timings(infrastructure_create=0.3)
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "va7"})
    body = response.json()
    assert response.status_code == 201
    assert (body["kind"], body["region"], body["status"]) == (
        "flexiblePortEgress",
        "va7",
        "creating",
    )
    assert (body["programId"], body["isPrimaryRegion"]) == ("10001", True)
    assert isinstance(body["id"], str)
    assert body["_links"]["self"]["href"] == infrastructure(body["id"])
    assert body["_links"][f"{REL}program"]["href"] == PROGRAM
    api.wait_for_status(infrastructure(body["id"]), "ready")


def test_create_network_infrastructure__timing_zero(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "dedicatedEgressIp", "region": "va7"})
    assert (response.status_code, response.json()["status"]) == (201, "ready")


def test_create_network_infrastructure__vpn(api: Api, emulator: EmulatorControl) -> None:
    emulator.set_timings(infrastructure_create_vpn=0.3)
    response = api.post(INFRASTRUCTURES, vpn_body())
    body = response.json()
    assert (response.status_code, body["status"]) == (201, "creating")
    assert body["addressSpace"] == ["10.104.182.64/26"]
    assert body["dns"] == {"resolvers": ["10.151.201.22"]}
    assert body["connections"][0]["sharedKey"] == "********"
    api.wait_for_status(infrastructure(body["id"]), "ready")


def test_create_network_infrastructure__vpn_missing_fields(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "vpn", "region": "va7"})
    missing = ["addressSpace", "dns.resolvers", "connections"]
    _refused(response, error(400, "Validation failed", missing=missing))


def test_create_network_infrastructure__vpn_missing_shared_key(api: Api) -> None:
    body = vpn_body()
    del body["connections"][0]["sharedKey"]
    response = api.post(INFRASTRUCTURES, body)
    _refused(response, error(400, "Validation failed", missing=["connections[0].sharedKey"]))


def test_create_network_infrastructure__vpn_invalid_fields(api: Api) -> None:
    body = vpn_body(addressSpace=["10.0.0.0/28"], dns={"resolvers": ["dns.example"]})
    body["connections"][0]["sharedKey"] = ""
    response = api.post(INFRASTRUCTURES, body)
    invalid = [
        ("addressSpace[0]", "10.0.0.0/28 is smaller than a /26"),
        ("dns.resolvers[0]", "'dns.example' is not an IP address"),
        ("connections[0].sharedKey", "must not be empty"),
    ]
    _refused(response, error(400, "Validation failed", invalid))


def test_create_network_infrastructure__vpn_invalid_ipsec_policy(api: Api) -> None:
    body = vpn_body()
    body["connections"][0]["ipsecPolicy"]["saLifetime"] = 299
    response = api.post(INFRASTRUCTURES, body)
    reason = "Input should be greater than or equal to 300"
    invalid = [("connections[0].ipsecPolicy.saLifetime", reason)]
    _refused(response, error(400, "Validation failed", invalid))


def test_create_network_infrastructure__vpn_fields_on_other_kind(api: Api) -> None:
    body = {"kind": "flexiblePortEgress", "region": "va7", "addressSpace": ["10.0.0.0/24"]}
    response = api.post(INFRASTRUCTURES, body)
    invalid = [("addressSpace", "only applicable to vpn infrastructures")]
    _refused(response, error(400, "Validation failed", invalid))


def test_create_network_infrastructure__invalid_kind(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "VPN", "region": "va7"})
    reason = "Input should be 'flexiblePortEgress', 'dedicatedEgressIp' or 'vpn'"
    _refused(response, error(400, "Validation failed", [("kind", reason)]))


def test_create_network_infrastructure__missing_region(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress"})
    _refused(response, error(400, "Validation failed", missing=["region"]))


def test_create_network_infrastructure__not_json(api: Api) -> None:
    response = api.call("POST", INFRASTRUCTURES, data="kind=vpn")
    _refused(response, error(415, "Content-Type must be application/json"))


def test_create_network_infrastructure__unknown_region(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "va6"})
    invalid = [("region", "va6 is not a region of program 10001 (va7, nld2)")]
    _refused(response, error(400, CANNOT_CREATE, invalid))


def test_create_network_infrastructure__region_production_does_not_run_in(api: Api) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "nld2"})
    invalid = [("region", "the production environment 20003 does not run in nld2 (va7)")]
    _refused(response, error(400, CANNOT_CREATE, invalid))


def test_create_network_infrastructure__production_runs_in_nld2_too(
    api: Api, emulator: EmulatorControl
) -> None:
    api.create_infrastructure()
    emulator.add_region_deployment("10001", "20003", "nld2")
    assert api.create_infrastructure(region="nld2")["status"] == "ready"


def test_create_network_infrastructure__a_dev_region_is_not_enough(
    api: Api, emulator: EmulatorControl
) -> None:
    api.create_infrastructure()
    emulator.add_region_deployment("10001", "20001", "nld2")
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "nld2"})
    invalid = [("region", "the production environment 20003 does not run in nld2 (va7)")]
    _refused(response, error(400, CANNOT_CREATE, invalid))


def test_create_network_infrastructure__first_not_in_primary_region(
    api: Api, production_in_nld2: dict[str, Any]
) -> None:
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "nld2"})
    invalid = [("region", "the first network infrastructure must be in the primary region va7")]
    _refused(response, error(400, CANNOT_CREATE, invalid))


def test_create_network_infrastructure__additional_region(
    api: Api, production_in_nld2: dict[str, Any]
) -> None:
    api.create_infrastructure()
    body = api.create_infrastructure(region="nld2")
    assert (body["region"], body["isPrimaryRegion"]) == ("nld2", False)


def test_create_network_infrastructure__region_taken(api: Api) -> None:
    first = api.create_infrastructure()
    response = api.post(INFRASTRUCTURES, {"kind": "flexiblePortEgress", "region": "va7"})
    invalid = [("region", f"network infrastructure {first['id']} already exists in region va7")]
    _refused(response, error(400, CANNOT_CREATE, invalid))


def test_create_network_infrastructure__other_kind(api: Api) -> None:
    api.create_infrastructure()
    response = api.post(INFRASTRUCTURES, {"kind": "dedicatedEgressIp", "region": "nld2"})
    reason = "program 10001 already uses flexiblePortEgress; a program uses one kind only"
    _refused(response, error(400, CANNOT_CREATE, [("kind", reason)]))


def test_create_network_infrastructure__sandbox(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "sandbox", ["va7"], sandbox=True)
    body = {"kind": "flexiblePortEgress", "region": "va7"}
    response = api.post("/api/program/10002/networkInfrastructures", body)
    title = "Program 10002 is a sandbox program: advanced networking is unavailable"
    _refused(response, error(400, title))


def test_create_network_infrastructure__no_production(api: Api, emulator: EmulatorControl) -> None:
    emulator.add_program("10002", "new", ["va7"])
    emulator.add_environment("10002", "20010", "dev", "dev")
    body = {"kind": "flexiblePortEgress", "region": "va7"}
    response = api.post("/api/program/10002/networkInfrastructures", body)
    _refused(response, error(400, "Program 10002 has no production environment; create it first"))


def test_create_network_infrastructure__program_not_found(api: Api) -> None:
    body = {"kind": "flexiblePortEgress", "region": "va7"}
    response = api.post("/api/program/19999/networkInfrastructures", body)
    _refused(response, error(404, "Program 19999 not found"))


def test_get_network_infrastructures(api: Api, production_in_nld2: dict[str, Any]) -> None:
    first = api.create_infrastructure()
    second = api.create_infrastructure(region="nld2")
    body = api.body(INFRASTRUCTURES)
    assert body["_totalNumberOfItems"] == 2
    listed = body["_embedded"]["networkInfrastructures"]
    assert [i["id"] for i in listed] == [first["id"], second["id"]]


def test_get_network_infrastructures__empty(api: Api) -> None:
    body = api.body(INFRASTRUCTURES)
    assert (body["_totalNumberOfItems"], body["_embedded"]) == (0, {"networkInfrastructures": []})


def test_get_network_infrastructure(api: Api) -> None:
    created = api.create_infrastructure()
    assert api.body(infrastructure(created["id"])) == created


def test_get_network_infrastructure__not_found(api: Api) -> None:
    response = api.get(infrastructure("39999"))
    _refused(response, error(404, "Network infrastructure 39999 not found in program 10001"))


def test_update_network_infrastructure(api: Api, emulator: EmulatorControl) -> None:
    created = api.create_infrastructure("vpn")
    emulator.set_timings(infrastructure_update=0.3)
    changed = vpn_body(dns={"resolvers": ["10.151.201.23"]})
    response = api.put(infrastructure(created["id"]), changed)
    assert (response.status_code, response.json()["status"]) == (200, "updating")
    body = api.wait_for_status(infrastructure(created["id"]), "ready")
    assert body["dns"] == {"resolvers": ["10.151.201.23"]}


def test_update_network_infrastructure__not_vpn(api: Api) -> None:
    created = api.create_infrastructure()
    response = api.put(
        infrastructure(created["id"]), {"kind": "flexiblePortEgress", "region": "va7"}
    )
    title = f"{CANNOT_UPDATE}: only vpn can be updated; delete flexiblePortEgress and create anew"
    _refused(response, error(400, title))


def test_update_network_infrastructure__immutable_fields(api: Api) -> None:
    created = api.create_infrastructure("vpn")
    changed = vpn_body("nld2", addressSpace=["10.104.183.0/26"])
    response = api.put(infrastructure(created["id"]), changed)
    invalid = [
        ("region", "cannot be changed (is va7); delete and create anew"),
        ("addressSpace", "cannot be changed (is 10.104.182.64/26); delete and create anew"),
    ]
    _refused(response, error(400, "Validation failed", invalid))


def test_update_network_infrastructure__kind(api: Api) -> None:
    created = api.create_infrastructure("vpn")
    response = api.put(infrastructure(created["id"]), vpn_body(kind="dedicatedEgressIp"))
    invalid = [("kind", "cannot be changed (is vpn); delete and create anew")]
    _refused(response, error(400, "Validation failed", invalid))


def test_update_network_infrastructure__without_shared_key(api: Api) -> None:
    created = api.create_infrastructure("vpn")
    changed = vpn_body()
    del changed["connections"][0]["sharedKey"]
    response = api.put(infrastructure(created["id"]), changed)
    _refused(response, error(400, "Validation failed", missing=["connections[0].sharedKey"]))


def test_update_network_infrastructure__while_creating(api: Api, emulator: EmulatorControl) -> None:
    emulator.set_timings(infrastructure_create_vpn=30)
    created = api.create_infrastructure("vpn")
    response = api.put(infrastructure(created["id"]), vpn_body())
    title = f"Network infrastructure {created['id']} cannot be changed while it is creating"
    _refused(response, error(400, title))


def test_update_network_infrastructure__not_found(api: Api) -> None:
    response = api.put(infrastructure("39999"), vpn_body())
    _refused(response, error(404, "Network infrastructure 39999 not found in program 10001"))


def test_delete_network_infrastructure(api: Api, emulator: EmulatorControl) -> None:
    created = api.create_infrastructure()
    emulator.set_timings(infrastructure_delete=0.3)
    response = api.delete(infrastructure(created["id"]))
    assert (response.status_code, response.json()["status"]) == (200, "deleting")
    gone = poll(lambda: api.get(infrastructure(created["id"])), lambda r: r.status_code != 200)
    title = f"Network infrastructure {created['id']} not found in program 10001"
    _refused(gone, error(404, title))


def test_delete_network_infrastructure__timing_zero(api: Api) -> None:
    created = api.create_infrastructure()
    response = api.delete(infrastructure(created["id"]))
    assert (response.status_code, response.json()["status"]) == (200, "deleted")
    assert api.body(INFRASTRUCTURES)["_totalNumberOfItems"] == 0


def test_delete_network_infrastructure__advanced_networking_enabled(api: Api) -> None:
    created = api.create_infrastructure()
    api.enable(DEV)
    api.enable("20003")
    response = api.delete(infrastructure(created["id"]))
    reason = "advanced networking is enabled; disable it first"
    invalid = [("environment 20001", reason), ("environment 20003", reason)]
    _refused(response, error(400, "Network Infrastructure cannot be deleted", invalid))


def test_delete_network_infrastructure__after_disabling(api: Api) -> None:
    created = api.create_infrastructure()
    api.enable(DEV)
    assert api.delete(f"{environment(DEV)}/advancedNetworking").status_code == 200
    assert api.delete(infrastructure(created["id"])).status_code == 200


def test_delete_network_infrastructure__while_deleting(api: Api, emulator: EmulatorControl) -> None:
    created = api.create_infrastructure()
    emulator.set_timings(infrastructure_delete=30)
    api.delete(infrastructure(created["id"]))
    response = api.delete(infrastructure(created["id"]))
    title = f"Network infrastructure {created['id']} cannot be changed while it is deleting"
    _refused(response, error(400, title))


def test_delete_network_infrastructure__not_found(api: Api) -> None:
    response = api.delete(infrastructure("39999"))
    _refused(response, error(404, "Network infrastructure 39999 not found in program 10001"))
