"""The EnvironmentVariables provider against the emulator, over real HTTP (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.core.errors import ProviderError
from aem_pulumi.dynamic.environment_variables import EnvironmentVariablesProvider
from aem_pulumi.dynamic.variables import EnvironmentSecretProvider
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.variables import VariableUpdate

PROGRAM, DEV = "10001", "20001"
WHO = "EnvironmentVariables 'settings'"


def props(**changes: Any) -> dict[str, Any]:
    """The inputs as the resource class sends them."""
    return {
        "resource_name": "settings",
        "program_id": PROGRAM,
        "environment_id": DEV,
        "variables": {"SMTP_HOST": "smtp.example.com", "SMTP_PORT": "465"},
        "secrets": {"SMTP_PASSWORD": "pw-never-shown-1"},
        **changes,
    }


def checked(provider: Any, given: dict[str, Any]) -> dict[str, Any]:
    result = provider.check({}, given)
    assert result.failures == []
    return dict(result.inputs)


@pytest.fixture
def provider() -> EnvironmentVariablesProvider:
    return EnvironmentVariablesProvider()


def create(provider: EnvironmentVariablesProvider, **changes: Any) -> tuple[str, dict[str, Any]]:
    result = provider.create(checked(provider, props(**changes)))
    assert result.outs is not None
    return str(result.id), result.outs


def live(api: CloudManagerClient) -> dict[tuple[str, str | None], tuple[str, str | None]]:
    """(name, service) -> (type, value) of the environment's live variables."""
    found = api.list_variables(PROGRAM, DEV)
    return {(v.name, v.service): (v.type, v.value) for v in found if v.status != "deleted"}


def patches(emulator: EmulatorControl) -> list[dict[str, Any]]:
    return [r for r in emulator.requests() if r["method"] == "PATCH"]


def outside(api: CloudManagerClient, *updates: VariableUpdate) -> None:
    api.patch_variables(PROGRAM, DEV, list(updates))


@pytest.mark.parametrize("count", [1, 5, 20, 50])
def test_create__one_patch_for_every_variable(
    provider: EnvironmentVariablesProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    count: int,
) -> None:
    plain = {f"PLAIN_{i:02d}": f"value-{i}" for i in range(count // 2 + count % 2)}
    secret = {f"SECRET_{i:02d}": f"secret-{i}" for i in range(count // 2)}
    id_, outs = create(provider, variables=plain, secrets=secret or None)

    assert id_ == "10001/20001/all"
    assert len(patches(emulator)) == 1
    assert len(live(api)) == count
    assert outs["names"] == sorted([*plain, *secret])


def test_update__sends_only_what_changed(
    provider: EnvironmentVariablesProvider,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    id_, olds = create(provider)
    emulator.clear_requests()
    sent: list[list[str]] = []
    original = CloudManagerClient.patch_variables

    def spy(self: CloudManagerClient, program: str, env: str, updates: Any) -> None:
        sent.append([u.name for u in updates])
        original(self, program, env, updates)

    monkeypatch.setattr(CloudManagerClient, "patch_variables", spy)
    news = checked(provider, props(variables={"SMTP_HOST": "smtp.example.org"}))

    provider.update(id_, olds, news)

    assert sent == [["SMTP_HOST", "SMTP_PORT"]]  # one changed, one dropped: one PATCH
    assert live(api) == {
        ("SMTP_HOST", None): ("string", "smtp.example.org"),
        ("SMTP_PASSWORD", None): ("secretString", None),
    }


def test_create__authoritative_deletes_foreign_in_the_same_patch(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    outside(
        api,
        VariableUpdate(name="FOREIGN_ALL", value="x", type="string"),
        VariableUpdate(name="FOREIGN_AUTHOR", value="y", type="string", service="author"),
    )
    emulator.clear_requests()

    create(provider, authoritative=True, adopt=True)

    assert len(patches(emulator)) == 1
    assert ("FOREIGN_ALL", None) not in live(api)
    assert ("FOREIGN_AUTHOR", "author") in live(api)  # another service: not this set's


def test_create__not_authoritative_leaves_foreign(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    outside(api, VariableUpdate(name="FOREIGN_ALL", value="x", type="string"))

    create(provider)

    assert live(api)[("FOREIGN_ALL", None)] == ("string", "x")


def test_create__existing_declared_variable_needs_adopt(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    outside(api, VariableUpdate(name="SMTP_PORT", value="587", type="string"))
    emulator.clear_requests()

    with pytest.raises(ProviderError) as raised:
        create(provider)

    assert str(raised.value) == (
        f"{WHO}: variable SMTP_PORT (all services) already exists in environment 20001 and this "
        "stack did not create it; set adopt=True to take it over (its value becomes the "
        "input's), or choose another name"
    )
    assert patches(emulator) == []


def test_check__name_claimed_by_an_environment_secret(emulator: EmulatorControl) -> None:
    secret = {
        "resource_name": "password",
        "program_id": PROGRAM,
        "environment_id": DEV,
        "name": "SMTP_PASSWORD",
        "value": "other",
    }
    assert EnvironmentSecretProvider().check({}, secret).failures == []

    result = EnvironmentVariablesProvider().check({}, props())

    [failure] = result.failures
    assert failure.property == "environment_id"
    assert failure.reason == (
        f"{WHO} and EnvironmentSecret 'password' both declare variable SMTP_PASSWORD (all "
        "services) of environment 20001; one object can have one owner: remove one of them (or, "
        "for a rename, give the new one `aliases`)"
    )


def test_check__name_in_variables_and_secrets() -> None:
    given = props(variables={"SMTP_PASSWORD": "plain"})

    [failure] = EnvironmentVariablesProvider().check({}, given).failures

    assert failure.property == ""
    assert failure.reason == "SMTP_PASSWORD declared both in variables and in secrets"


def test_check__bad_name_is_named() -> None:
    [failure] = EnvironmentVariablesProvider().check({}, props(variables={"1BAD": "x"})).failures

    assert failure.property == "variables.1BAD.[key]"
    assert "must match [a-zA-Z_][a-zA-Z_0-9]*" in failure.reason


def test_read__authoritative_shows_foreign_as_drift(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    id_, outs = create(provider, authoritative=True)
    outside(api, VariableUpdate(name="ADDED_IN_UI", value="z", type="string"))

    result = provider.read(id_, outs)

    assert result.inputs is not None
    assert result.inputs["variables"] == {
        "ADDED_IN_UI": "z",
        "SMTP_HOST": "smtp.example.com",
        "SMTP_PORT": "465",
    }
    assert result.inputs["secrets"] == {"SMTP_PASSWORD": "pw-never-shown-1"}


def test_read__import_by_id(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    outside(api, VariableUpdate(name="SMTP_HOST", value="smtp.example.com", type="string"))

    result = provider.read("10001/20001/all", {"resource_name": "settings"})

    assert result.id == "10001/20001/all"
    assert result.inputs is not None
    assert result.inputs["variables"] == {"SMTP_HOST": "smtp.example.com"}


def test_delete__removes_only_the_declared(
    provider: EnvironmentVariablesProvider, emulator: EmulatorControl, api: CloudManagerClient
) -> None:
    outside(api, VariableUpdate(name="FOREIGN_ALL", value="x", type="string"))
    id_, outs = create(provider)
    emulator.clear_requests()

    provider.delete(id_, outs)

    assert len(patches(emulator)) == 1
    assert live(api) == {("FOREIGN_ALL", None): ("string", "x")}
