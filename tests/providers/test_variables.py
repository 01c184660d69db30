"""EnvironmentSecret and EnvironmentVariable providers against the emulator, over real HTTP."""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.errors import ProviderError
from aem_pulumi.core.inputs import UNKNOWN
from aem_pulumi.core.variables import SecretInputs
from aem_pulumi.dynamic.variables import EnvironmentSecretProvider, EnvironmentVariableProvider
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.variables import Variable, VariableUpdate

PROGRAM, DEV, STAGE = "10001", "20001", "20002"
SECRET_VALUE = "s3cr3t-Pa55word-never-shown"
Provider = EnvironmentSecretProvider | EnvironmentVariableProvider


def secret_props(**changes: Any) -> dict[str, Any]:
    """The inputs of an EnvironmentSecret, as the resource class sends them."""
    props = {
        "resource_name": "mail-password",
        "program_id": PROGRAM,
        "environment_id": DEV,
        "name": "EMAIL_PASSWORD",
        "value": SECRET_VALUE,
        "service": None,
        "timeouts": None,
    }
    return {**props, **changes}


def variable_props(**changes: Any) -> dict[str, Any]:
    """The inputs of an EnvironmentVariable."""
    defaults = {"resource_name": "mail-user", "name": "EMAIL_USERNAME", "value": "wknd@example.com"}
    return secret_props(**{**defaults, **changes})


def checked(provider: Provider, props: dict[str, Any]) -> dict[str, Any]:
    """The inputs after `check`, which must accept them."""
    result = provider.check({}, props)
    assert result.failures == []
    return dict(result.inputs)


def create(provider: Provider, props: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Check and create; the id and outputs."""
    result = provider.create(checked(provider, props))
    assert result.outs is not None
    return str(result.id), result.outs


def listed(api: CloudManagerClient, environment_id: str = DEV) -> dict[tuple[str, Any], Variable]:
    """The emulator's variables by (name, service)."""
    return {(v.name, v.service): v for v in api.list_variables(PROGRAM, environment_id)}


def patches(emulator: EmulatorControl) -> list[dict[str, Any]]:
    """The PATCH calls the emulator received."""
    return [r for r in emulator.requests() if r["method"] == "PATCH"]


def set_outside(api: CloudManagerClient, *updates: VariableUpdate) -> None:
    """Change variables outside Pulumi (the emulator's timings are 0: applied at once)."""
    api.patch_variables(PROGRAM, DEV, list(updates))


# --- create -----------------------------------------------------------------------------------


def test_create__secret(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    id_, outs = create(EnvironmentSecretProvider(), secret_props())

    assert id_ == "10001/20001/all/EMAIL_PASSWORD"
    assert outs == {**secret_props(), "adopt": False, "type": "secretString", "status": "ready"}
    found = listed(api)[("EMAIL_PASSWORD", None)]
    assert (found.type, found.value, found.status) == ("secretString", None, "ready")


def test_create__variable(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    id_, outs = create(EnvironmentVariableProvider(), variable_props(service="publish"))

    assert id_ == "10001/20001/publish/EMAIL_USERNAME"
    assert outs == {
        **variable_props(service="publish"),
        "adopt": False,
        "type": "string",
        "status": "ready",
    }
    found = listed(api)[("EMAIL_USERNAME", "publish")]
    assert (found.type, found.value, found.status) == ("string", "wknd@example.com", "ready")


def test_create__unknown_environment(emulator: EmulatorControl) -> None:
    with pytest.raises(ProviderError) as raised:
        create(EnvironmentVariableProvider(), variable_props(environment_id="29999"))

    message = "EnvironmentVariable 'mail-user': environment 29999 does not exist in program 10001"
    assert str(raised.value) == message
    assert patches(emulator) == []


def test_create__unknown_program(emulator: EmulatorControl) -> None:
    with pytest.raises(ProviderError) as raised:
        create(EnvironmentSecretProvider(), secret_props(program_id="99999"))

    message = "EnvironmentSecret 'mail-password': environment 20001 does not exist in program 99999"
    assert str(raised.value) == message
    assert patches(emulator) == []


def test_create__existing_variable_is_not_taken_over(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value="old", type="string"))

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentVariableProvider(), variable_props())

    assert str(raised.value) == (
        "EnvironmentVariable 'mail-user': variable EMAIL_USERNAME (all services) already "
        "exists in environment 20001 and this stack did not create it; set adopt=True to take it "
        "over (its value becomes the input's), or choose another name"
    )
    assert listed(api)[("EMAIL_USERNAME", None)].value == "old"
    assert len(patches(emulator)) == 1  # only the one made outside Pulumi


def test_create__adopt_takes_the_value(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value="old", type="string"))

    _, outs = create(EnvironmentVariableProvider(), variable_props(adopt=True))

    assert outs["status"] == "ready"
    assert listed(api)[("EMAIL_USERNAME", None)].value == "wknd@example.com"


def test_create__busy_environment(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    emulator.set_timings(variables_update=0.2)
    emulator.make_busy(PROGRAM, DEV, 1.0)

    _, outs = create(EnvironmentSecretProvider(), secret_props())

    assert outs["status"] == "ready"
    assert listed(api)[("EMAIL_PASSWORD", None)].status == "ready"
    assert [p["status"] for p in patches(emulator)] == [204]  # waited, never refused


def test_create__type_conflict(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    set_outside(api, VariableUpdate(name="EMAIL_PASSWORD", value="plain", type="string"))
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentSecretProvider(), secret_props())

    assert str(raised.value) == (
        "EnvironmentSecret 'mail-password': variable EMAIL_PASSWORD (all services) exists as a "
        "string variable in environment 20001; Cloud Manager cannot change a variable's type to "
        "secretString: delete it first (in Cloud Manager, or remove the resource that manages it "
        "and run `pulumi up`), or choose another name"
    )
    assert patches(emulator) == []


def test_create__variables_update_failed(emulator: EmulatorControl) -> None:
    emulator.inject_fault("fail", operation="variables_update")

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentVariableProvider(), variable_props())

    assert str(raised.value) == (
        "EnvironmentVariable 'mail-user': Cloud Manager failed to set variable EMAIL_USERNAME "
        "(all services) in environment 20001 (status 'failed'); see the environment's activity "
        "in Cloud Manager, then try again"
    )


def test_create__concurrent_changes_share_a_patch(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    emulator.set_timings(variables_update=0.2)
    provider = EnvironmentVariableProvider()  # the engine shares one instance between calls
    names = [f"VAR_{i:02d}" for i in range(12)]
    inputs = [checked(provider, variable_props(resource_name=n, name=n)) for n in names]

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(provider.create, inputs))

    assert [r.outs["status"] for r in results if r.outs] == ["ready"] * 12
    found = listed(api)
    assert all(found[(n, None)].status == "ready" for n in names)
    assert 1 <= len(patches(emulator)) <= math.ceil(12 / 4) + 1


# --- check ------------------------------------------------------------------------------------

PATTERN = (
    "must match [a-zA-Z_][a-zA-Z_0-9]*: letters, digits and underscores, not starting with a digit"
)


def ignored(prefix: str) -> str:
    return f"names starting {prefix} are accepted by Cloud Manager but ignored by AEM; choose another name"


BAD_INPUTS = [
    ({"name": "A"}, "name", "must be 2 to 100 characters long"),
    ({"name": "A" * 101}, "name", "must be 2 to 100 characters long"),
    ({"name": "1ST_VARIABLE"}, "name", PATTERN),
    ({"name": "EMAIL-USER"}, "name", PATTERN),
    ({"name": "INTERNAL_HOST"}, "name", ignored("INTERNAL_")),
    ({"name": "ADOBE_HOST"}, "name", ignored("ADOBE_")),
    ({"name": "CONST_HOST"}, "name", ignored("CONST_")),
    (
        {"name": "AEM_PROXY_HOST"},
        "name",
        "AEM_PROXY_HOST is reserved (AEM sets it for advanced networking); choose another name",
    ),
    ({"value": ""}, "value", "must not be empty (an empty value deletes the variable)"),
    ({"value": "x" * 2049}, "value", "must be at most 2048 characters long"),
    ({"service": "Author"}, "service", "Input should be 'author', 'publish' or 'preview'"),
    (
        {"timeouts": {"create": "soon"}},
        "timeouts",
        "'soon' is not a duration such as 90m, 1h30m or 45s",
    ),
    (
        {"timeouts": {"read": "5m"}},
        "timeouts",
        "'read' is not an operation; use create, update or delete",
    ),
    ({"colour": "blue"}, "colour", "Extra inputs are not permitted"),
]


@pytest.mark.parametrize(("changes", "prop", "reason"), BAD_INPUTS)
def test_check__bad_input(changes: dict[str, Any], prop: str, reason: str) -> None:
    for provider in (EnvironmentVariableProvider(), EnvironmentSecretProvider()):
        result = provider.check({}, variable_props(**changes))

        assert [(f.property, f.reason) for f in result.failures] == [(prop, reason)]


def test_check__missing_value() -> None:
    props = variable_props()
    del props["value"]

    result = EnvironmentVariableProvider().check({}, props)

    assert [(f.property, f.reason) for f in result.failures] == [("value", "Field required")]


def test_check__secret_too_long() -> None:
    result = EnvironmentSecretProvider().check({}, secret_props(value="x" * 500))

    reason = "a secret must be fewer than 500 characters long"
    assert [(f.property, f.reason) for f in result.failures] == [("value", reason)]


def test_check__longest_values_accepted() -> None:
    assert EnvironmentSecretProvider().check({}, secret_props(value="x" * 499)).failures == []
    assert EnvironmentVariableProvider().check({}, variable_props(value="x" * 2048)).failures == []


def test_check__timeouts_accepted() -> None:
    inputs = checked(EnvironmentSecretProvider(), secret_props(timeouts={"create": "1h30m"}))

    assert inputs == {**secret_props(timeouts={"create": "1h30m"}), "adopt": False}


def test_check__unknown_values_accepted() -> None:
    props = secret_props(
        environment_id=UNKNOWN, name=UNKNOWN, value=UNKNOWN, service=UNKNOWN, timeouts=UNKNOWN
    )

    result = EnvironmentSecretProvider().check({}, props)

    assert result.failures == []


# --- diff -------------------------------------------------------------------------------------


def outputs(props: dict[str, Any], type_: str = "string") -> dict[str, Any]:
    """The outputs a create returned for `props`."""
    return {**props, "type": type_, "status": "ready"}


def test_diff__no_changes(emulator: EmulatorControl) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props())

    result = provider.diff(id_, outs, checked(provider, secret_props()))

    assert (result.changes, result.replaces) == (False, [])


def test_diff__value_updates_in_place() -> None:
    provider = EnvironmentVariableProvider()
    news = checked(provider, variable_props(value="other@example.com"))

    result = provider.diff("id", outputs(variable_props()), news)

    assert (result.changes, result.replaces) == (True, [])


@pytest.mark.parametrize(
    ("prop", "value"),
    [("name", "MAIL_USER"), ("service", "author"), ("environment_id", STAGE), ("program_id", "1")],
)
def test_diff__replaces(prop: str, value: str) -> None:
    provider = EnvironmentVariableProvider()
    news = checked(provider, variable_props(**{prop: value}))

    result = provider.diff("id", outputs(variable_props()), news)

    assert (result.changes, result.replaces, result.delete_before_replace) == (True, [prop], False)


def test_diff__type_drift_replaces_deleting_first() -> None:
    provider = EnvironmentSecretProvider()
    olds = outputs(secret_props(), type_="string")  # a refresh found a string variable

    result = provider.diff("id", olds, checked(provider, secret_props()))

    assert (result.changes, result.replaces, result.delete_before_replace) == (True, ["type"], True)


# --- update -----------------------------------------------------------------------------------


def test_update(
    emulator: EmulatorControl, api: CloudManagerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = EnvironmentVariableProvider()
    create(provider, variable_props(resource_name="other", name="OTHER"))
    id_, olds = create(provider, variable_props())
    sent = spy_patches(monkeypatch)
    emulator.clear_requests()
    news = checked(provider, variable_props(value="other@example.com"))

    result = provider.update(id_, olds, news)

    assert result.outs == {**news, "adopt": False, "type": "string", "status": "ready"}
    assert sent == [[("EMAIL_USERNAME", "other@example.com", "string", None)]]
    assert len(patches(emulator)) == 1
    assert listed(api)[("EMAIL_USERNAME", None)].value == "other@example.com"


def test_update__timeouts_only_needs_no_call(emulator: EmulatorControl) -> None:
    provider = EnvironmentSecretProvider()
    id_, olds = create(provider, secret_props())
    emulator.clear_requests()
    news = checked(provider, secret_props(timeouts={"update": "5m"}))

    result = provider.update(id_, olds, news)

    assert result.outs == {**news, "adopt": False, "type": "secretString", "status": "ready"}
    assert emulator.requests() == []


def spy_patches(monkeypatch: pytest.MonkeyPatch) -> list[list[tuple[Any, ...]]]:
    """Record every PATCH body the providers send, as (name, value, type, service) tuples."""
    sent: list[list[tuple[Any, ...]]] = []
    original: Callable[..., None] = CloudManagerClient.patch_variables

    def patch(self: CloudManagerClient, program: str, env: str, updates: Any) -> None:
        sent.append([(u.name, u.value, u.type, u.service) for u in updates])
        original(self, program, env, updates)

    monkeypatch.setattr(CloudManagerClient, "patch_variables", patch)
    return sent


# --- read -------------------------------------------------------------------------------------


def test_read(emulator: EmulatorControl) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props(service="author"))

    result = provider.read(id_, outs)

    assert result.id == "10001/20001/author/EMAIL_PASSWORD"
    assert result.outs == outs  # the secret value is kept: it cannot be read back
    assert result.outs["type"] == "secretString"
    assert result.inputs is None


def test_read__secret_deleted_out_of_band(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props())
    set_outside(api, VariableUpdate(name="EMAIL_PASSWORD", value="", type="secretString"))

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == (None, {})


def test_read__secret_now_a_string(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props())
    set_outside(api, VariableUpdate(name="EMAIL_PASSWORD", value="", type="secretString"))
    set_outside(api, VariableUpdate(name="EMAIL_PASSWORD", value="plain", type="string"))

    result = provider.read(id_, outs)

    assert result.id == id_
    assert result.outs == {**outs, "type": "string"}
    assert result.outs["value"] == SECRET_VALUE  # never the value read from Cloud Manager


def test_read__service_is_part_of_the_identity(
    emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    provider = EnvironmentVariableProvider()
    id_, outs = create(provider, variable_props())
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value="", type="string"))
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value="x", service="author"))

    result = provider.read(id_, outs)

    assert (result.id, result.outs) == (None, {})


def test_read__variable_value_drift(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    provider = EnvironmentVariableProvider()
    id_, outs = create(provider, variable_props())
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value="changed@example.com"))

    result = provider.read(id_, outs)

    assert result.outs == {**outs, "value": "changed@example.com"}
    assert result.inputs == {**variable_props(value="changed@example.com"), "adopt": False}


def test_read__environment_gone(emulator: EmulatorControl) -> None:
    outs = outputs(variable_props(environment_id="29999"))

    result = EnvironmentVariableProvider().read("10001/29999/all/EMAIL_USERNAME", outs)

    assert (result.id, result.outs) == (None, {})


# --- delete -----------------------------------------------------------------------------------


def test_delete(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props())

    provider.delete(id_, outs)

    assert ("EMAIL_PASSWORD", None) not in listed(api)


def test_delete__sends_the_type_found(
    emulator: EmulatorControl, api: CloudManagerClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    provider = EnvironmentSecretProvider()
    id_, outs = create(provider, secret_props())
    sent = spy_patches(monkeypatch)

    provider.delete(id_, outs)

    assert sent == [[("EMAIL_PASSWORD", "", "secretString", None)]]


def test_delete__already_gone(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    provider = EnvironmentVariableProvider()
    id_, outs = create(provider, variable_props())
    set_outside(api, VariableUpdate(name="EMAIL_USERNAME", value=""))
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert patches(emulator) == []


def test_delete__environment_gone(emulator: EmulatorControl) -> None:
    outs = outputs(variable_props(environment_id="29999"))

    EnvironmentVariableProvider().delete("10001/29999/all/EMAIL_USERNAME", outs)

    assert patches(emulator) == []


# --- the secret value stays secret ------------------------------------------------------------


def test_secret_value_never_shown__refused_patch(
    emulator: EmulatorControl,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.inject_fault("http", status=429, retry_after=0, method="PATCH", count=10)

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentSecretProvider(), secret_props())

    assert "writing the variables of environment 20001 failed" in str(raised.value)
    assert_never_shown(str(raised.value), repr(raised.value), caplog.text, *capsys.readouterr())


def test_secret_value_never_shown__failed_update(
    emulator: EmulatorControl,
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    emulator.set_timings(variables_update=0.2)
    emulator.inject_fault("fail", operation="variables_update")

    with pytest.raises(ProviderError) as raised:
        create(EnvironmentSecretProvider(), secret_props())

    assert "failed to set variable EMAIL_PASSWORD" in str(raised.value)
    assert_never_shown(str(raised.value), repr(raised.value), caplog.text, *capsys.readouterr())


def test_secret_value_never_shown__check_and_repr() -> None:
    provider = EnvironmentSecretProvider()
    long_secret = SECRET_VALUE * 20
    failures = provider.check({}, secret_props(value=long_secret)).failures

    texts = [f.reason for f in failures] + [repr(provider), repr(SecretInputs(**secret_props()))]
    assert failures
    assert_never_shown(*texts)


def assert_never_shown(*texts: str) -> None:
    for text in texts:
        assert SECRET_VALUE not in text
