"""The EnvironmentAdvancedNetworking provider against the emulator, over real HTTP."""

from __future__ import annotations

import base64
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import dill
import pulumi
import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.errors import ProviderError
from aem_pulumi.core.inputs import UNKNOWN
from aem_pulumi.dynamic import provider as base
from aem_pulumi.dynamic.environment_advanced_networking import EnvironmentAdvancedNetworkingProvider
from aem_pulumi.dynamic.ledger import STACK_KEY
from aem_pulumi.dynamic.port_forward import PortForwardProvider
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward

STACK = "organization/project/stack"  # what the unit-test mocks report
PROGRAM, DEV, STAGE = "10001", "20001", "20002"
WHO = "EnvironmentAdvancedNetworking 'networking'"
SMTP = {"host": "smtp.example.com", "port_dest": 465, "port_orig": 30465}
LDAP = {"host": "ldap.example.com", "port_dest": 636, "port_orig": 30636}
Rule = tuple[str, int, int]


@pytest.fixture
def infrastructure(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    """A ready network infrastructure in the program (timings are 0: ready at once); dedicated,
    because these tests set non-proxy hosts, which a flexiblePortEgress program refuses."""
    infra = NetworkInfrastructure(kind="dedicatedEgressIp", region="va7")
    api.create_network_infrastructure(PROGRAM, infra)
    emulator.clear_requests()


@pytest.fixture
def provider(infrastructure: None) -> EnvironmentAdvancedNetworkingProvider:
    """A provider (one instance, as the engine shares it) on a program ready for networking."""
    return EnvironmentAdvancedNetworkingProvider()


def props(**changes: Any) -> dict[str, Any]:
    """Inputs as the resource class sends them (the SDK drops None values)."""
    raw = {"resource_name": "networking", "program_id": PROGRAM, "environment_id": DEV, **changes}
    return {k: v for k, v in raw.items() if v is not None}


def checked(provider: EnvironmentAdvancedNetworkingProvider, raw: dict[str, Any]) -> dict[str, Any]:
    """The inputs after `check` (which must accept them), plus `__provider` as the engine sends."""
    result = provider.check({}, raw)
    assert result.failures == []
    return {**result.inputs, base.PROVIDER_KEY: "pickled-provider"}


def create(
    provider: EnvironmentAdvancedNetworkingProvider, **changes: Any
) -> tuple[str, dict[str, Any]]:
    """Check and create; the id and outputs."""
    result = provider.create(checked(provider, props(**changes)))
    assert result.outs is not None
    return str(result.id), result.outs


def inputs(**changes: Any) -> dict[str, Any]:
    """The checked inputs (defaults filled in, no `__provider`): what create echoes as outputs."""
    result = EnvironmentAdvancedNetworkingProvider().check({}, props(**changes))
    return dict(result.inputs)


def enable_outside(
    api: CloudManagerClient, hosts: Sequence[str] = (), rules: Sequence[dict[str, Any]] = ()
) -> None:
    """Enable (or change) advanced networking outside Pulumi (applied at once: timings are 0)."""
    forwards = [PortForward(name=h, port_dest=d, port_orig=o) for h, d, o in map(rule, rules)]
    body = AdvancedNetworkingUpdate(non_proxy_hosts=list(hosts), port_forwards=forwards)
    api.put_advanced_networking(PROGRAM, DEV, body)


def found(api: CloudManagerClient, environment_id: str = DEV) -> tuple[bool, list[str], set[Rule]]:
    """The emulator's configuration: enabled, non-proxy hosts, rules as (host, dest, orig)."""
    (config,) = api.get_advanced_networking(PROGRAM, environment_id)
    rules = {(r.name or "", r.port_dest, r.port_orig) for r in config.port_forwards}
    return config.advanced_networking_enabled, config.non_proxy_hosts, rules


def rule(spec: dict[str, Any]) -> Rule:
    """A rule's inputs as (host, port_dest, port_orig)."""
    return spec["host"], spec["port_dest"], spec["port_orig"]


def writes(emulator: EmulatorControl, method: str = "PUT") -> list[dict[str, Any]]:
    """The advanced networking writes (PUT or DELETE) the emulator received."""
    return [
        r
        for r in emulator.requests()
        if r["method"] == method and r["path"].endswith("/advancedNetworking")
    ]


def environment_status(api: CloudManagerClient, environment_id: str = DEV) -> str | None:
    return api.get_environment(PROGRAM, environment_id).status


# --- create -----------------------------------------------------------------------------------


def test_create(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.set_timings(environment_update=0.2)

    id_, outs = create(provider)

    assert id_ == "10001/20001"
    assert outs == inputs()
    assert found(api) == (True, [], set())
    assert environment_status(api) == "ready"  # waited until applied
    assert len(writes(emulator)) == 1


def test_create__non_proxy_hosts(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    hosts = ["*.example.com", "intranet.example.net"]

    _, outs = create(provider, non_proxy_hosts=hosts)

    assert outs["non_proxy_hosts"] == hosts
    assert found(api) == (True, hosts, set())


def test_create__with_port_forwards(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    no_port_orig = {"host": "mail.example.com", "port_dest": 587}

    _, outs = create(provider, port_forwards=[SMTP, LDAP, no_port_orig])

    defaulted = {**no_port_orig, "port_orig": 30587}
    assert outs["port_forwards"] == [SMTP, LDAP, defaulted]
    assert found(api)[2] == {rule(SMTP), rule(LDAP), rule(defaulted)}
    assert len(writes(emulator)) == 1  # one PUT for all rules


def test_create__already_enabled_without_adopt(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    enable_outside(api, rules=[SMTP])
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(provider)

    assert str(raised.value) == (
        f"{WHO}: advanced networking is already enabled on environment 20001, and this stack did not enable it; set adopt=True to "
        "take over the existing configuration"
    )
    assert writes(emulator) == []
    assert found(api) == (True, [], {rule(SMTP)})


def test_create__adopt_matching(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    enable_outside(api, hosts=["*.example.com"], rules=[LDAP, SMTP])
    emulator.clear_requests()

    id_, outs = create(
        provider, non_proxy_hosts=["*.example.com"], port_forwards=[SMTP, LDAP], adopt=True
    )

    assert id_ == "10001/20001"
    assert outs == inputs(non_proxy_hosts=["*.example.com"], port_forwards=[SMTP, LDAP], adopt=True)
    assert writes(emulator) == []  # rule order does not matter: nothing to write


def test_create__adopt_keeps_rules_of_port_forwards(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    enable_outside(api, rules=[SMTP])  # rules of PortForward resources, not of this one
    emulator.clear_requests()

    _, outs = create(provider, adopt=True)

    assert outs["port_forwards"] is None
    assert writes(emulator) == []
    assert found(api) == (True, [], {rule(SMTP)})


def test_create__adopt_different(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    enable_outside(api, hosts=["*.example.net"], rules=[LDAP])
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(provider, non_proxy_hosts=["*.example.com"], port_forwards=[SMTP], adopt=True)

    assert str(raised.value) == (
        f"{WHO}: cannot adopt the advanced networking enabled on environment 20001, it differs "
        "from the inputs: non-proxy hosts are [*.example.net], the inputs want [*.example.com]; "
        "port forward smtp.example.com:465 via 30465 is missing; "
        "port forward ldap.example.com:636 via 30636 is not in the inputs; "
        "make the inputs match it (or change it in Cloud Manager), then run `pulumi up` again"
    )
    assert writes(emulator) == []


def test_create__adopt_when_disabled_enables(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    create(provider, port_forwards=[SMTP], adopt=True)

    assert found(api) == (True, [], {rule(SMTP)})


def test_create__no_infrastructure(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    with pytest.raises(ProviderError) as raised:
        create(EnvironmentAdvancedNetworkingProvider())

    assert str(raised.value) == (
        f"{WHO}: program 10001 has no ready network infrastructure (found: none); create an "
        "AdvancedNetworking resource for the program first and make this resource depend on it"
    )
    assert writes(emulator) == []


def test_create__infrastructure_not_ready(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.set_timings(infrastructure_create=60)
    api.create_network_infrastructure(
        PROGRAM, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentAdvancedNetworkingProvider())

    assert "has no ready network infrastructure (found: va7 'creating')" in str(raised.value)
    assert writes(emulator) == []


def test_create__unknown_environment(
    provider: EnvironmentAdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    with pytest.raises(ProviderError) as raised:
        create(provider, environment_id="29999")

    assert str(raised.value) == f"{WHO}: environment 29999 does not exist in program 10001"
    assert writes(emulator) == []


def test_create__busy_environment(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.set_timings(environment_update=0.2)
    emulator.make_busy(PROGRAM, DEV, 1.0)

    create(provider, port_forwards=[SMTP])

    assert found(api) == (True, [], {rule(SMTP)})
    assert environment_status(api) == "ready"
    assert [w["status"] for w in writes(emulator)] == [200]  # waited, never refused


def test_create__busy_environment_refused_write_is_retried(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def pipeline_starts(*_: Any) -> None:  # right after the wait for `ready`, before the PUT
        emulator.make_busy(PROGRAM, DEV, 1.0)

    monkeypatch.setattr("aem_pulumi.core.writer.writer.wait_writable", pipeline_starts)

    create(provider, port_forwards=[SMTP])

    assert found(api) == (True, [], {rule(SMTP)})
    assert [w["status"] for w in writes(emulator)] == [409, 200]  # refused, waited, retried


def test_create__failed_update(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.inject_fault("fail", operation="environment_update")

    with pytest.raises(ProviderError) as raised:
        create(provider, port_forwards=[SMTP])

    assert str(raised.value) == (
        f"{WHO}: environment 20001 ended 'failed'; its advanced networking change did not "
        "complete: see the environment's activity in Cloud Manager, then run `pulumi up` again"
    )
    assert found(api) == (False, [], set())  # rolled back


def test_create__after_a_failed_update(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.inject_fault("fail", operation="environment_update")
    with pytest.raises(ProviderError):
        create(provider)

    create(provider, port_forwards=[SMTP])  # `pulumi up` again: a failed environment is writable

    assert found(api) == (True, [], {rule(SMTP)})
    assert environment_status(api) == "ready"


def test_create__refused_write_names_the_resource(
    provider: EnvironmentAdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    emulator.inject_fault("http", status=429, retry_after=0, method="PUT", count=10)

    with pytest.raises(ProviderError) as raised:
        create(provider)

    message = str(raised.value)
    assert message.startswith(
        f"{WHO}: writing the advanced networking of environment 20001 failed: "
    )
    assert "failed with 429" in message


# --- update -----------------------------------------------------------------------------------


def test_update__non_proxy_hosts_keeps_port_forward_rules(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    id_, olds = create(provider, non_proxy_hosts=["*.example.com"])
    PortForwardProvider().create({**props(resource_name="smtp"), **SMTP})
    emulator.clear_requests()
    news = checked(provider, props(non_proxy_hosts=["*.example.net", "db.example.org"]))

    result = provider.update(id_, olds, news)

    assert result.outs == inputs(non_proxy_hosts=["*.example.net", "db.example.org"])
    assert found(api) == (True, ["*.example.net", "db.example.org"], {rule(SMTP)})
    assert len(writes(emulator)) == 1


def test_update__port_forwards_replaces_list(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    id_, olds = create(provider, non_proxy_hosts=["*.example.com"], port_forwards=[SMTP, LDAP])
    emulator.clear_requests()
    imap = {"host": "imap.example.com", "port_dest": 993, "port_orig": 30993}
    news = checked(provider, props(non_proxy_hosts=["*.example.com"], port_forwards=[imap, SMTP]))

    result = provider.update(id_, olds, news)

    assert result.outs == inputs(non_proxy_hosts=["*.example.com"], port_forwards=[imap, SMTP])
    assert found(api) == (True, ["*.example.com"], {rule(imap), rule(SMTP)})
    assert len(writes(emulator)) == 1  # one PUT for the whole list


def test_update__timeouts_only_needs_no_write(
    provider: EnvironmentAdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    id_, olds = create(provider, port_forwards=[SMTP])
    emulator.clear_requests()
    news = checked(provider, props(port_forwards=[SMTP], timeouts={"update": "1h"}))

    result = provider.update(id_, olds, news)

    assert result.outs == inputs(port_forwards=[SMTP], timeouts={"update": "1h"})
    assert writes(emulator) == []


def test_update__reenables_after_disabled_out_of_band(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    id_, olds = create(provider)
    api.delete_advanced_networking(PROGRAM, DEV)

    provider.update(id_, olds, checked(provider, props(non_proxy_hosts=["*.example.com"])))

    assert found(api) == (True, ["*.example.com"], set())


def test_update__concurrent_with_port_forwards_loses_nothing(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.set_timings(environment_update=0.2)
    id_, olds = create(provider)
    port_forwards = PortForwardProvider()
    rules = [
        {"host": f"h{i}.example.com", "port_dest": 1000 + i, "port_orig": 30100 + i}
        for i in range(3)
    ]
    news = checked(provider, props(non_proxy_hosts=["*.example.com"]))

    with ThreadPoolExecutor(max_workers=4) as pool:
        update = pool.submit(provider.update, id_, olds, news)
        created = [
            pool.submit(port_forwards.create, {**props(resource_name=f"r{i}"), **r})
            for i, r in enumerate(rules)
        ]
        update.result()
        [c.result() for c in created]

    assert found(api) == (True, ["*.example.com"], {rule(r) for r in rules})


# --- diff -------------------------------------------------------------------------------------


def test_diff__no_changes(provider: EnvironmentAdvancedNetworkingProvider) -> None:
    full = {
        "non_proxy_hosts": ["*.example.com"],
        "port_forwards": [SMTP, {"host": "a.example.com", "port_dest": 25}],
    }
    id_, outs = create(provider, **full)

    result = provider.diff(id_, outs, checked(provider, props(**full)))

    assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize(("prop", "value"), [("environment_id", STAGE), ("program_id", "10002")])
def test_diff__replaces(prop: str, value: str) -> None:
    provider = EnvironmentAdvancedNetworkingProvider()

    result = provider.diff("10001/20001", inputs(), checked(provider, props(**{prop: value})))

    assert (result.changes, result.replaces, result.delete_before_replace) == (True, [prop], False)


@pytest.mark.parametrize(
    "changes",
    [
        {"non_proxy_hosts": ["*.example.com"]},
        {"port_forwards": [SMTP]},
        {"adopt": True},
        {"timeouts": {"delete": "1h"}},
    ],
)
def test_diff__updates_in_place(changes: dict[str, Any]) -> None:
    provider = EnvironmentAdvancedNetworkingProvider()

    result = provider.diff("10001/20001", inputs(), checked(provider, props(**changes)))

    assert (result.changes, result.replaces) == (True, [])


def test_diff__unknown_environment_replaces() -> None:
    provider = EnvironmentAdvancedNetworkingProvider()
    news = provider.check({}, props(environment_id=UNKNOWN)).inputs

    result = provider.diff("10001/20001", inputs(), news)

    assert (result.changes, result.replaces) == (True, ["environment_id"])


# --- read -------------------------------------------------------------------------------------


def test_read(provider: EnvironmentAdvancedNetworkingProvider) -> None:
    id_, outs = create(provider, non_proxy_hosts=["*.example.com"], port_forwards=[SMTP])

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == ("10001/20001", outs)
    assert result.inputs == outs


def test_read__foreign_rule_shows_as_drift(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    id_, outs = create(provider, port_forwards=[SMTP])
    enable_outside(api, rules=[SMTP, LDAP])  # someone added a rule in Cloud Manager

    result = provider.read(id_, outs)

    assert result.outs == {**outs, "port_forwards": [SMTP, LDAP]}
    assert result.inputs == result.outs
    diff = provider.diff(id_, result.outs, checked(provider, props(port_forwards=[SMTP])))
    assert (diff.changes, diff.replaces) == (True, [])  # the next `up` removes it


def test_read__port_forward_rules_are_not_drift(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    id_, outs = create(provider)  # rules belong to PortForward resources
    enable_outside(api, rules=[SMTP])

    result = provider.read(id_, outs)

    assert result.outs == outs
    assert provider.diff(id_, result.outs, checked(provider, props())).changes is False


def test_read__non_proxy_hosts_changed_out_of_band(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    id_, outs = create(provider, non_proxy_hosts=["*.example.com"])
    enable_outside(api, hosts=["*.example.net"])

    result = provider.read(id_, outs)

    assert result.outs == {**outs, "non_proxy_hosts": ["*.example.net"]}
    assert result.inputs == result.outs


def test_read__disabled_out_of_band(
    provider: EnvironmentAdvancedNetworkingProvider, api: CloudManagerClient
) -> None:
    id_, outs = create(provider)
    api.delete_advanced_networking(PROGRAM, DEV)

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == (None, {})


def test_read__environment_gone(provider: EnvironmentAdvancedNetworkingProvider) -> None:
    result = provider.read("10001/29999", inputs(environment_id="29999"))

    assert (result.id, result.outs) == (None, {})


# --- delete -----------------------------------------------------------------------------------


def test_delete(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    emulator.set_timings(environment_update=0.2)
    id_, outs = create(provider, non_proxy_hosts=["*.example.com"], port_forwards=[SMTP])

    provider.delete(id_, outs)

    assert found(api) == (False, [], set())
    assert environment_status(api) == "ready"  # waited until applied
    assert len(writes(emulator, "DELETE")) == 1


def test_delete__already_disabled(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    id_, outs = create(provider)
    api.delete_advanced_networking(PROGRAM, DEV)
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert writes(emulator, "DELETE") == []


def test_delete__environment_gone(
    provider: EnvironmentAdvancedNetworkingProvider, emulator: EmulatorControl
) -> None:
    provider.delete("10001/29999", inputs(environment_id="29999"))

    assert writes(emulator, "DELETE") == []


def test_delete__busy_environment(
    provider: EnvironmentAdvancedNetworkingProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    id_, outs = create(provider)
    emulator.make_busy(PROGRAM, DEV, 1.0)

    provider.delete(id_, outs)

    assert found(api) == (False, [], set())
    assert [w["status"] for w in writes(emulator, "DELETE")] == [200]


# --- check ------------------------------------------------------------------------------------

HOST_REASON = "is not a lower-case host name or IPv4 address"
NON_PROXY_REASON = "is not a lower-case host name; a wildcard may only lead (*.example.com)"
HTTP_REASON = (
    "port {} is HTTP(S): it goes through the proxy (AEM_PROXY_HOST with AEM_HTTP(S)_PROXY_PORT) "
    "and must not be forwarded"
)
BAD_INPUTS = [
    ({"non_proxy_hosts": ["ok.example.com", "example.*"]}, "non_proxy_hosts[1]", f"'example.*' {NON_PROXY_REASON}"),
    ({"non_proxy_hosts": ["*"]}, "non_proxy_hosts[0]", f"'*' {NON_PROXY_REASON}"),
    ({"non_proxy_hosts": ["a.*.example.com"]}, "non_proxy_hosts[0]", f"'a.*.example.com' {NON_PROXY_REASON}"),
    ({"non_proxy_hosts": ["Intranet.example.com"]}, "non_proxy_hosts[0]", f"'Intranet.example.com' {NON_PROXY_REASON}"),
    ({"port_forwards": [{**SMTP, "host": "SMTP.example.com"}]}, "port_forwards[0].host", f"'SMTP.example.com' {HOST_REASON}"),
    ({"port_forwards": [SMTP, {**LDAP, "port_dest": 0}]}, "port_forwards[1].port_dest", "Input should be greater than or equal to 1"),
    ({"port_forwards": [{**SMTP, "port_dest": 65536}]}, "port_forwards[0].port_dest", "Input should be less than or equal to 65535"),
    ({"port_forwards": [{**SMTP, "port_dest": 443}]}, "port_forwards[0].port_dest", HTTP_REASON.format(443)),
    ({"port_forwards": [{**SMTP, "port_orig": 31000}]}, "port_forwards[0].port_orig", "port_orig 31000 is outside 30000-30999 (the range Adobe documents for port forwards)"),
    ({"port_forwards": [{"host": "db.example.com", "port_dest": 5432}]}, "port_forwards[0].port_orig", "port_orig is required: 30000 + port_dest (35432) lies outside 30000-30999"),
    ({"port_forwards": [SMTP, {**LDAP, "port_orig": 30465}]}, "port_forwards[1].port_orig", "port_orig 30465 is already used by port_forwards[0]"),
    ({"port_forwards": [{**SMTP, "colour": "blue"}]}, "port_forwards[0].colour", "Extra inputs are not permitted"),
    ({"port_forwards": [{"port_dest": 465}]}, "port_forwards[0].host", "Field required"),
    ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
    ({"adopt": "perhaps"}, "adopt", "Input should be a valid boolean, unable to interpret input"),
    ({"timeouts": {"create": "soon"}}, "timeouts", "'soon' is not a duration such as 90m, 1h30m or 45s"),
    ({"timeouts": {"read": "5m"}}, "timeouts", "'read' is not an operation; use create, update or delete"),
    ({"environment_id": ""}, "environment_id", "String should have at least 1 character"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "prop", "reason"), BAD_INPUTS)
def test_check__bad_input(changes: dict[str, Any], prop: str, reason: str) -> None:
    result = EnvironmentAdvancedNetworkingProvider().check({}, props(**changes))

    assert [(f.property, f.reason) for f in result.failures] == [(prop, reason)]


def test_check__every_failure_at_once() -> None:
    port_forwards = [SMTP, {**LDAP, "host": "LDAP"}, {**LDAP, "port_orig": 30465}]

    result = EnvironmentAdvancedNetworkingProvider().check(
        {}, props(non_proxy_hosts=["x.*"], port_forwards=port_forwards)
    )

    assert sorted(f.property for f in result.failures) == [
        "non_proxy_hosts[0]",
        "port_forwards[1].host",
        "port_forwards[2].port_orig",
    ]


def test_check__defaults_filled_in() -> None:
    result = EnvironmentAdvancedNetworkingProvider().check(
        {}, props(port_forwards=[{"host": "smtp.example.com", "port_dest": 465.0}])
    )

    assert result.failures == []
    assert result.inputs == {
        **props(),
        "non_proxy_hosts": None,
        "port_forwards": [SMTP],
        "adopt": False,
        "timeouts": None,
    }


def test_check__unknown_values_accepted() -> None:
    unknown_rule = {"host": UNKNOWN, "port_dest": UNKNOWN, "port_orig": UNKNOWN}
    raw = props(
        environment_id=UNKNOWN,
        non_proxy_hosts=[UNKNOWN, "*.example.com"],
        port_forwards=[SMTP, unknown_rule, {"host": "a.example.com", "port_dest": UNKNOWN}],
        adopt=UNKNOWN,
        timeouts=UNKNOWN,
    )

    result = EnvironmentAdvancedNetworkingProvider().check({}, raw)

    assert result.failures == []


def test_check__unknown_list_accepted() -> None:
    raw = props(non_proxy_hosts=UNKNOWN, port_forwards=UNKNOWN)

    assert EnvironmentAdvancedNetworkingProvider().check({}, raw).failures == []


# --- the resource class -----------------------------------------------------------------------


class Mocks(pulumi.runtime.Mocks):
    """Records every resource; outputs are the inputs."""

    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        return f"{PROGRAM}/{DEV}", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    recorded = Mocks()
    pulumi.runtime.set_mocks(recorded, preview=False)
    return recorded


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_resource_class__props(mocks: Mocks) -> Any:
    from aem_pulumi.dynamic.environment_advanced_networking import EnvironmentAdvancedNetworking

    resource = EnvironmentAdvancedNetworking(
        "networking",
        program_id=PROGRAM,
        environment_id=DEV,
        non_proxy_hosts=["*.example.com"],
        port_forwards=[SMTP],
        timeouts={"create": "1h"},
    )

    def check(values: list[Any]) -> None:
        (args,) = [
            a for a in mocks.created if a.name == "networking"
        ]  # not a late one of another test
        assert args.typ == "pulumi-python:dynamic/aem:EnvironmentAdvancedNetworking"
        given = {k: v for k, v in args.inputs.items() if k != base.PROVIDER_KEY}
        assert given == {
            **props(
                non_proxy_hosts=["*.example.com"],
                port_forwards=[SMTP],
                adopt=False,
                timeouts={"create": "1h"},
            ),
            STACK_KEY: STACK,
        }
        envelope = args.inputs[base.PROVIDER_KEY]  # sent as a secret
        provider = dill.loads(base64.b64decode(envelope["value"]))  # noqa: S301 (our own)
        assert isinstance(provider, EnvironmentAdvancedNetworkingProvider)
        assert vars(provider) == {}  # nothing on the instance, credentials least of all
        assert values == ["10001/20001", [SMTP]]

    return pulumi.Output.all(resource.id, resource.port_forwards).apply(check)


def test_check__non_proxy_hosts_refused_on_flexible_port_egress(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    api.create_network_infrastructure(
        PROGRAM, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    emulator.clear_requests()

    result = EnvironmentAdvancedNetworkingProvider().check(
        {}, props(non_proxy_hosts=["*.example.com"])
    )

    [failure] = result.failures
    assert (failure.property, failure.reason) == (
        "non_proxy_hosts",
        "program 10001 uses flexiblePortEgress, which has no non-proxy hosts (only "
        "dedicatedEgressIp and vpn do); remove non_proxy_hosts",
    )
    assert [r["method"] for r in emulator.requests() if r["path"].startswith("/api/")] == ["GET"]


def test_check__non_proxy_hosts_accepted_on_dedicated_egress(
    provider: EnvironmentAdvancedNetworkingProvider,
) -> None:
    assert provider.check({}, props(non_proxy_hosts=["*.example.com"])).failures == []


def test_check__no_api_call_without_non_proxy_hosts(emulator: EmulatorControl) -> None:
    emulator.clear_requests()

    assert EnvironmentAdvancedNetworkingProvider().check({}, props()).failures == []
    assert emulator.requests() == []
