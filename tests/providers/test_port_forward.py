"""The PortForward provider against the emulator, over real HTTP."""

from __future__ import annotations

import base64
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import Any

import dill
import pulumi
import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.errors import ProviderError
from aem_pulumi.core.inputs import UNKNOWN
from aem_pulumi.dynamic import provider as base
from aem_pulumi.dynamic.ledger import STACK_KEY
from aem_pulumi.dynamic.port_forward import PortForwardProvider
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward

STACK = "organization/project/stack"  # what the unit-test mocks report
PROGRAM, DEV, STAGE = "10001", "20001", "20002"
WHO = "PortForward 'smtp'"
HOSTS = ["*.example.net"]  # the environment's non-proxy hosts, which no rule change may touch
LDAP = ("ldap.example.com", 636, 30636)
Rule = tuple[str, int, int]
CONCURRENT = 20
MAX_PUTS = math.ceil(CONCURRENT / 4) + 1  # the engine runs 4 calls at once: 5 batches, 1 spare


@pytest.fixture
def infrastructure(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    """A ready network infrastructure in the program (timings are 0: ready at once); dedicated,
    because these tests set non-proxy hosts, which a flexiblePortEgress program refuses."""
    infra = NetworkInfrastructure(kind="dedicatedEgressIp", region="va7")
    api.create_network_infrastructure(PROGRAM, infra)


@pytest.fixture
def enabled(infrastructure: None, emulator: EmulatorControl, api: CloudManagerClient) -> None:
    """Advanced networking enabled on the dev environment, with non-proxy hosts and no rules."""
    set_outside(api)
    emulator.clear_requests()


@pytest.fixture
def provider(enabled: None) -> PortForwardProvider:
    """One provider instance (the engine shares one between its calls) on an enabled environment."""
    return PortForwardProvider()


def props(**changes: Any) -> dict[str, Any]:
    """Inputs as the resource class sends them (the SDK drops None values)."""
    raw = {
        "resource_name": "smtp",
        "program_id": PROGRAM,
        "environment_id": DEV,
        "host": "smtp.example.com",
        "port_dest": 465,
        **changes,
    }
    return {k: v for k, v in raw.items() if v is not None}


def inputs(**changes: Any) -> dict[str, Any]:
    """The checked inputs (defaults filled in): what create echoes as outputs."""
    result = PortForwardProvider().check({}, props(**changes))
    assert result.failures == []
    return dict(result.inputs)


def checked(**changes: Any) -> dict[str, Any]:
    """The checked inputs plus `__provider`, as the engine passes them to create and update."""
    return {**inputs(**changes), base.PROVIDER_KEY: "pickled-provider"}


def create(provider: PortForwardProvider, **changes: Any) -> tuple[str, dict[str, Any]]:
    """Check and create; the id and outputs."""
    result = provider.create(checked(**changes))
    assert result.outs is not None
    return str(result.id), result.outs


def set_outside(
    api: CloudManagerClient, *rules: Rule, hosts: list[str] = HOSTS, environment_id: str = DEV
) -> None:
    """Replace the environment's configuration outside Pulumi (applied at once: timings are 0)."""
    forwards = [PortForward(name=h, port_dest=d, port_orig=o) for h, d, o in rules]
    body = AdvancedNetworkingUpdate(non_proxy_hosts=hosts, port_forwards=forwards)
    api.put_advanced_networking(PROGRAM, environment_id, body)


def rules(api: CloudManagerClient, environment_id: str = DEV) -> set[Rule]:
    """The emulator's rules as (host, port_dest, port_orig)."""
    return {(r[0], r[1], r[2]) for r in listed(api, environment_id)[1]}


def listed(api: CloudManagerClient, environment_id: str = DEV) -> tuple[list[str], list[Rule]]:
    """The emulator's non-proxy hosts and rules (in their order)."""
    (config,) = api.get_advanced_networking(PROGRAM, environment_id)
    assert config.advanced_networking_enabled
    forwards = [(r.name or "", r.port_dest, r.port_orig) for r in config.port_forwards]
    return config.non_proxy_hosts, forwards


def puts(emulator: EmulatorControl) -> list[dict[str, Any]]:
    """The advanced networking PUTs the emulator received."""
    return [
        r
        for r in emulator.requests()
        if r["method"] == "PUT" and r["path"].endswith("/advancedNetworking")
    ]


def rule_inputs(index: int, offset: int = 100) -> dict[str, Any]:
    """The checked inputs of rule `index`: port_dest `offset + index`, port_orig 30000 above."""
    name, port = f"rule-{index:02d}", offset + index
    return checked(resource_name=name, host=f"{name}.example.com", port_dest=port)


def rule_of(checked_inputs: dict[str, Any]) -> Rule:
    return checked_inputs["host"], checked_inputs["port_dest"], checked_inputs["port_orig"]


# --- create -----------------------------------------------------------------------------------


def test_create(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.set_timings(environment_update=0.2)

    id_, outs = create(provider)

    assert id_ == "10001/20001/30465"
    assert outs == {**props(), "port_orig": 30465, "adopt": False, "timeouts": None}
    assert rules(api) == {("smtp.example.com", 465, 30465)}
    assert api.get_environment(PROGRAM, DEV).status == "ready"  # waited until applied
    assert len(puts(emulator)) == 1


def test_create__explicit_port_orig(provider: PortForwardProvider, api: CloudManagerClient) -> None:
    id_, outs = create(provider, port_dest=5432, port_orig=30001)

    assert (id_, outs["port_orig"]) == ("10001/20001/30001", 30001)
    assert rules(api) == {("smtp.example.com", 5432, 30001)}


def test_create__numbers_from_the_engine_are_floats(
    provider: PortForwardProvider, api: CloudManagerClient
) -> None:
    engine_props = {**checked(), "port_dest": 465.0, "port_orig": 30465.0}  # protobuf numbers

    result = provider.create(engine_props)

    assert (result.id, result.outs) == ("10001/20001/30465", inputs())
    assert rules(api) == {("smtp.example.com", 465, 30465)}


def test_create__keeps_other_rules_and_non_proxy_hosts(
    provider: PortForwardProvider, api: CloudManagerClient
) -> None:
    set_outside(api, LDAP, hosts=["*.example.net", "intranet.example.org"])

    create(provider)

    hosts, found = listed(api)
    assert hosts == ["*.example.net", "intranet.example.org"]
    assert found == [LDAP, ("smtp.example.com", 465, 30465)]


def test_create__identical_rule_exists_is_not_taken_over(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    set_outside(api, LDAP, ("smtp.example.com", 465, 30465))
    emulator.clear_requests()

    with pytest.raises(ProviderError, match=r"already exists .* and this stack did not create it"):
        create(provider)

    assert puts(emulator) == []
    assert rules(api) == {LDAP, ("smtp.example.com", 465, 30465)}


def test_create__adopt_identical_rule(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    set_outside(api, LDAP, ("smtp.example.com", 465, 30465))
    emulator.clear_requests()

    id_, outs = create(provider, adopt=True)

    assert (id_, outs) == ("10001/20001/30465", inputs(adopt=True))
    assert puts(emulator) == []  # taken over, nothing to write
    assert rules(api) == {LDAP, ("smtp.example.com", 465, 30465)}


def test_create__port_orig_taken(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    set_outside(api, ("mail.example.org", 465, 30465))
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(provider)

    assert str(raised.value) == (
        f"{WHO}: port forward 30465 of environment 20001 already exists (mail.example.org:465 "
        "via 30465) and this stack did not create it; set adopt=True to take it over (its host "
        "and port_dest become the inputs'), or choose another port_orig"
    )
    assert puts(emulator) == []
    assert rules(api) == {("mail.example.org", 465, 30465)}


def test_create__advanced_networking_disabled(
    infrastructure: None, emulator: EmulatorControl
) -> None:
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(PortForwardProvider())

    assert str(raised.value) == (
        f"{WHO}: advanced networking is not enabled on environment 20001; create an "
        "EnvironmentAdvancedNetworking for it first and make this resource depend on it"
    )
    assert puts(emulator) == []


def test_create__unknown_environment(
    provider: PortForwardProvider, emulator: EmulatorControl
) -> None:
    with pytest.raises(ProviderError) as raised:
        create(provider, environment_id="29999")

    assert str(raised.value) == f"{WHO}: environment 29999 does not exist in program 10001"
    assert puts(emulator) == []


def test_create__busy_environment(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.set_timings(environment_update=0.2)
    emulator.make_busy(PROGRAM, DEV, 1.0)

    create(provider)

    assert rules(api) == {("smtp.example.com", 465, 30465)}
    assert [p["status"] for p in puts(emulator)] == [200]  # waited, never refused


def test_create__failed_update(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.inject_fault("fail", operation="environment_update")

    with pytest.raises(ProviderError) as raised:
        create(provider)

    assert str(raised.value) == (
        f"{WHO}: environment 20001 ended 'failed'; its advanced networking change did not "
        "complete: see the environment's activity in Cloud Manager, then run `pulumi up` again"
    )
    assert rules(api) == set()  # rolled back


# --- concurrency: the engine runs 4 calls at once on one provider instance ----------------------


def run_concurrently(jobs: list[Callable[[], object]]) -> None:
    """Run the jobs 4 at a time, as the engine does; re-raise the first failure."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        for future in [pool.submit(job) for job in jobs]:
            future.result()


def test_create__concurrent_creates_merge_puts(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    created = [rule_inputs(i) for i in range(CONCURRENT)]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(provider.create, created))

    assert [r.id for r in results] == [f"10001/20001/{30100 + i}" for i in range(CONCURRENT)]
    hosts, found = listed(api)
    assert (hosts, set(found)) == (HOSTS, {rule_of(c) for c in created})
    count = len(puts(emulator))
    assert count <= MAX_PUTS, f"{count} PUTs for {CONCURRENT} concurrent creates (max {MAX_PUTS})"


def test_create__concurrent_creates_and_deletes_merge_puts(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    half = CONCURRENT // 2
    removed = [rule_inputs(i, offset=200) for i in range(half)]
    set_outside(api, *(rule_of(r) for r in removed))
    emulator.clear_requests()
    added = [rule_inputs(i) for i in range(half)]
    jobs: list[Callable[[], object]] = []
    for new, old in zip(added, removed, strict=True):  # interleaved: batches mix both
        jobs.append(partial(provider.create, new))
        jobs.append(partial(provider.delete, f"10001/20001/{old['port_orig']}", old))

    run_concurrently(jobs)

    hosts, found = listed(api)
    assert (hosts, set(found)) == (HOSTS, {rule_of(a) for a in added})
    count = len(puts(emulator))
    assert count <= MAX_PUTS, f"{count} PUTs for {CONCURRENT} concurrent changes (max {MAX_PUTS})"


def test_create__concurrent_creates_without_merging(
    provider: PortForwardProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AEM_PULUMI_MERGE_WRITES", "false")
    created = [rule_inputs(i) for i in range(CONCURRENT)]

    run_concurrently([partial(provider.create, c) for c in created])

    hosts, found = listed(api)
    assert (hosts, set(found)) == (HOSTS, {rule_of(c) for c in created})  # every change landed
    count = len(puts(emulator))
    assert count > MAX_PUTS, f"{count} PUTs without merging: the merged tests could not fail"
    assert count == CONCURRENT, f"{count} PUTs without merging, expected one per change"


def test_create__concurrent_on_two_environments(
    provider: PortForwardProvider, api: CloudManagerClient
) -> None:
    set_outside(api, environment_id=STAGE, hosts=[])
    dev = [rule_inputs(i) for i in range(4)]
    stage = [{**rule_inputs(i), "environment_id": STAGE} for i in range(4)]

    run_concurrently([partial(provider.create, c) for c in dev + stage])

    assert rules(api, DEV) == {rule_of(c) for c in dev}
    assert rules(api, STAGE) == {rule_of(c) for c in stage}


def test_create__concurrent_failure_is_its_own(
    provider: PortForwardProvider, api: CloudManagerClient
) -> None:
    set_outside(api, ("mail.example.org", 465, 30465))
    good = [rule_inputs(i) for i in range(3)]
    clashing = checked()  # smtp.example.com:465 via 30465: port_orig taken

    with ThreadPoolExecutor(max_workers=4) as pool:
        failed = pool.submit(provider.create, clashing)
        done = [pool.submit(provider.create, c) for c in good]
        [d.result() for d in done]  # the others land
        with pytest.raises(ProviderError, match=r"^PortForward 'smtp': port forward 30465 "):
            failed.result()

    assert rules(api) == {("mail.example.org", 465, 30465), *(rule_of(c) for c in good)}


# --- update -----------------------------------------------------------------------------------


def test_update__host_in_place(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    set_outside(api, LDAP)
    id_, olds = create(provider)
    emulator.clear_requests()
    news = checked(host="smtp.example.org")

    result = provider.update(id_, olds, news)

    assert result.outs == inputs(host="smtp.example.org")
    hosts, found = listed(api)
    assert (hosts, set(found)) == (HOSTS, {LDAP, ("smtp.example.org", 465, 30465)})
    assert len(puts(emulator)) == 1


def test_update__port_dest_in_place(provider: PortForwardProvider, api: CloudManagerClient) -> None:
    id_, olds = create(provider, port_orig=30465)

    result = provider.update(id_, olds, checked(port_dest=587, port_orig=30465))

    assert result.outs == inputs(port_dest=587, port_orig=30465)
    assert rules(api) == {("smtp.example.com", 587, 30465)}


def test_update__timeouts_only_needs_no_put(
    provider: PortForwardProvider, emulator: EmulatorControl
) -> None:
    id_, olds = create(provider)
    emulator.clear_requests()

    result = provider.update(id_, olds, checked(timeouts={"update": "1h"}))

    assert result.outs == inputs(timeouts={"update": "1h"})
    assert puts(emulator) == []


# --- diff -------------------------------------------------------------------------------------


def test_diff__no_changes(provider: PortForwardProvider) -> None:
    id_, outs = create(provider)

    result = provider.diff(id_, outs, checked())

    assert (result.changes, result.replaces) == (False, [])


def test_diff__numbers_from_the_engine_are_floats() -> None:
    news = PortForwardProvider().check({}, props(port_dest=465.0)).inputs

    result = PortForwardProvider().diff("10001/20001/30465", inputs(), news)

    assert (result.changes, result.replaces) == (False, [])


@pytest.mark.parametrize(
    ("changes", "replaced"),
    [
        ({"port_orig": 30001}, ["port_orig"]),
        ({"environment_id": STAGE}, ["environment_id"]),
        ({"program_id": "10002"}, ["program_id"]),
        ({"port_dest": 587}, ["port_orig"]),  # its default port_orig moves to 30587
        ({"environment_id": UNKNOWN}, ["environment_id"]),
    ],
)
def test_diff__replaces(changes: dict[str, Any], replaced: list[str]) -> None:
    news = PortForwardProvider().check({}, props(**changes)).inputs

    result = PortForwardProvider().diff("10001/20001/30465", inputs(), news)

    assert (result.changes, result.replaces, result.delete_before_replace) == (
        True,
        replaced,
        False,
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"host": "smtp.example.org"},
        {"host": UNKNOWN},  # known at `up` only: still an update, not a replacement
        {"port_dest": 587, "port_orig": 30465},
        {"timeouts": {"create": "1h"}},
    ],
)
def test_diff__updates_in_place(changes: dict[str, Any]) -> None:
    news = PortForwardProvider().check({}, props(**changes)).inputs

    result = PortForwardProvider().diff("10001/20001/30465", inputs(), news)

    assert (result.changes, result.replaces) == (True, [])


# --- read -------------------------------------------------------------------------------------


def test_read(provider: PortForwardProvider) -> None:
    id_, outs = create(provider)

    result = provider.read(id_, outs)

    assert (result.id, result.outs, result.inputs) == ("10001/20001/30465", outs, outs)


def test_read__changed_out_of_band(provider: PortForwardProvider, api: CloudManagerClient) -> None:
    id_, outs = create(provider)
    set_outside(api, ("smtp.example.org", 587, 30465))

    result = provider.read(id_, outs)

    changed = {**outs, "host": "smtp.example.org", "port_dest": 587}
    assert (result.id, result.outs, result.inputs) == (id_, changed, changed)
    assert provider.diff(id_, changed, checked()).replaces == []  # `up` changes it back


def test_read__deleted_out_of_band(provider: PortForwardProvider, api: CloudManagerClient) -> None:
    id_, outs = create(provider)
    set_outside(api, LDAP)

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == (None, {})


def test_read__advanced_networking_disabled(
    provider: PortForwardProvider, api: CloudManagerClient
) -> None:
    id_, outs = create(provider)
    api.delete_advanced_networking(PROGRAM, DEV)

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == (None, {})


def test_read__environment_gone(provider: PortForwardProvider) -> None:
    result = provider.read("10001/29999/30465", inputs(environment_id="29999"))

    assert (result.id, result.outs) == (None, {})


# --- delete -----------------------------------------------------------------------------------


def test_delete(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.set_timings(environment_update=0.2)
    set_outside(api, LDAP)
    id_, outs = create(provider)
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert listed(api) == (HOSTS, [LDAP])  # only that rule removed
    assert api.get_environment(PROGRAM, DEV).status == "ready"  # waited until applied
    assert len(puts(emulator)) == 1


def test_delete__already_gone(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    id_, outs = create(provider)
    set_outside(api, LDAP)
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert puts(emulator) == []
    assert listed(api) == (HOSTS, [LDAP])


def test_delete__advanced_networking_disabled(
    provider: PortForwardProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    id_, outs = create(provider)
    api.delete_advanced_networking(PROGRAM, DEV)
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert [r for r in emulator.requests() if r["method"] in ("PUT", "DELETE")] == []


def test_delete__environment_gone(provider: PortForwardProvider, emulator: EmulatorControl) -> None:
    provider.delete("10001/29999/30465", inputs(environment_id="29999"))

    assert puts(emulator) == []


# --- check ------------------------------------------------------------------------------------


def host_reason(host: str) -> str:
    return f"'{host}' is not a lower-case host name or IPv4 address"


def http_reason(port: int) -> str:
    return (
        f"port {port} is HTTP(S): it goes through the proxy (AEM_PROXY_HOST with "
        "AEM_HTTP(S)_PROXY_PORT) and must not be forwarded"
    )


def outside_reason(port: int) -> str:
    return f"port_orig {port} is outside 30000-30999 (the range Adobe documents for port forwards)"


BAD_INPUTS = [
    ({"host": "SMTP.example.com"}, "host", host_reason("SMTP.example.com")),
    ({"host": "smtp_relay.example.com"}, "host", host_reason("smtp_relay.example.com")),
    ({"host": "smtp.example.com."}, "host", host_reason("smtp.example.com.")),
    ({"host": "smtp.example.com:465"}, "host", host_reason("smtp.example.com:465")),
    ({"host": "-smtp.example.com"}, "host", host_reason("-smtp.example.com")),
    ({"host": ""}, "host", host_reason("")),
    ({"host": None}, "host", "Field required"),
    ({"port_dest": None}, "port_dest", "Field required"),
    ({"port_dest": 0}, "port_dest", "Input should be greater than or equal to 1"),
    ({"port_dest": 65536}, "port_dest", "Input should be less than or equal to 65535"),
    ({"port_dest": 80}, "port_dest", http_reason(80)),
    ({"port_dest": 443}, "port_dest", http_reason(443)),
    ({"port_dest": "smtp"}, "port_dest", "Input should be a valid integer, unable to parse string as an integer"),
    ({"port_dest": 465.5}, "port_dest", "Input should be a valid integer, got a number with a fractional part"),
    ({"port_orig": 29999}, "port_orig", outside_reason(29999)),
    ({"port_orig": 31000}, "port_orig", outside_reason(31000)),  # the spec allows it, Adobe's guides do not
    ({"port_dest": 1000}, "port_orig", "port_orig is required: 30000 + port_dest (31000) lies outside 30000-30999"),
    ({"program_id": ""}, "program_id", "String should have at least 1 character"),
    ({"environment_id": ""}, "environment_id", "String should have at least 1 character"),
    ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
    ({"timeouts": {"create": "soon"}}, "timeouts", "'soon' is not a duration such as 90m, 1h30m or 45s"),
    ({"timeouts": {"read": "5m"}}, "timeouts", "'read' is not an operation; use create, update or delete"),
]  # fmt: skip


@pytest.mark.parametrize(("changes", "prop", "reason"), BAD_INPUTS)
def test_check__bad_input(changes: dict[str, Any], prop: str, reason: str) -> None:
    raw = {**props(), **changes}
    raw = {k: v for k, v in raw.items() if v is not None}

    result = PortForwardProvider().check({}, raw)

    assert [(f.property, f.reason) for f in result.failures] == [(prop, reason)]


@pytest.mark.parametrize(
    "changes",
    [
        {"host": "10.1.2.3"},
        {"host": "localhost"},
        {"port_dest": 1, "port_orig": 30000},
        {"port_dest": 65535, "port_orig": 30999},
        {"port_dest": 999},  # 30999, the last default that fits
        {"timeouts": {"create": "1h30m", "update": "45m", "delete": "90s"}},
    ],
)
def test_check__good_input(changes: dict[str, Any]) -> None:
    assert PortForwardProvider().check({}, props(**changes)).failures == []


def test_check__port_orig_default() -> None:
    assert inputs() == {**props(), "port_orig": 30465, "adopt": False, "timeouts": None}
    assert inputs(port_dest=587)["port_orig"] == 30587
    assert inputs(port_orig=30001)["port_orig"] == 30001


@pytest.mark.parametrize(
    "changes",
    [
        dict.fromkeys(("program_id", "environment_id", "host", "port_dest"), UNKNOWN),
        {"port_dest": UNKNOWN, "port_orig": UNKNOWN},
        {"port_dest": 1000, "port_orig": UNKNOWN},  # its default would not fit: not judged
        {"timeouts": UNKNOWN},
        {"timeouts": {"create": UNKNOWN}},
    ],
)
def test_check__unknown_values_accepted(changes: dict[str, Any]) -> None:
    result = PortForwardProvider().check({}, props(**changes))

    assert result.failures == []


def test_check__unknown_host_keeps_the_port_orig_default() -> None:
    result = PortForwardProvider().check({}, props(host=UNKNOWN))

    assert result.failures == []
    assert result.inputs["port_orig"] == 30465


# --- the resource class -----------------------------------------------------------------------


class Mocks(pulumi.runtime.Mocks):
    """Records every resource; outputs are what the real provider's `check` makes of the inputs."""

    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        given = {k: v for k, v in args.inputs.items() if k != base.PROVIDER_KEY}
        outputs = PortForwardProvider().check({}, given).inputs
        return f"{PROGRAM}/{DEV}/{outputs['port_orig']}", dict(outputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], None]:
        return {}, None


@pytest.fixture
def mocks() -> Mocks:
    recorded = Mocks()
    pulumi.runtime.set_mocks(recorded, preview=False)
    return recorded


@pulumi.runtime.test  # type: ignore[untyped-decorator]
def test_resource_class__props(mocks: Mocks) -> Any:
    from aem_pulumi.dynamic.port_forward import PortForward

    resource = PortForward(
        "smtp",
        program_id=PROGRAM,
        environment_id=DEV,
        host="smtp.example.com",
        port_dest=465,
        timeouts={"create": "1h"},
    )

    def check(values: list[Any]) -> None:
        (args,) = [a for a in mocks.created if a.name == "smtp"]  # not a late one of another test
        assert args.typ == "pulumi-python:dynamic/aem:PortForward"
        given = {k: v for k, v in args.inputs.items() if k != base.PROVIDER_KEY}
        # port_orig unset: check fills it in
        assert given == {**props(timeouts={"create": "1h"}), "adopt": False, STACK_KEY: STACK}
        envelope = args.inputs[base.PROVIDER_KEY]  # sent as a secret
        provider = dill.loads(base64.b64decode(envelope["value"]))  # noqa: S301 (our own)
        assert isinstance(provider, PortForwardProvider)
        assert vars(provider) == {}  # nothing on the instance, credentials least of all
        assert values == ["10001/20001/30465", 30465]

    return pulumi.Output.all(resource.id, resource.port_orig).apply(check)
