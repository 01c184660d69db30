"""What every provider shares: credentials from configure(), check and diff from declarations."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pulumi.dynamic import ConfigureRequest
from pulumi.dynamic.config import Config
from pulumi.runtime import rpc

from aem_pulumi.client import ConfigurationError
from aem_pulumi.client.settings import ENV_NAMES
from aem_pulumi.dynamic import provider as base
from aem_pulumi.dynamic.port_forward import PortForwardProvider
from aem_pulumi.emulator.control_client import EmulatorControl

INPUTS = {
    "resource_name": "smtp",
    "program_id": "10001",
    "environment_id": "20001",
    "host": "smtp.mymail.com",
    "port_dest": 465,
}


@pytest.fixture(autouse=True)
def no_aem_environment(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in ENV_NAMES.values():
        monkeypatch.delenv(name, raising=False)
    yield
    base.CREDENTIALS.configure({})


def _configure(values: dict[str, str]) -> None:
    PortForwardProvider().configure(ConfigureRequest(Config(values, "aem-mail")))


def test_configure__stack_config_is_used(
    emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    _configure(
        {
            "aem:apiUrl": credentials["api_url"],
            "aem:imsUrl": credentials["ims_url"],
            "aem:clientId": credentials["client_id"],
            "aem:clientSecret": credentials["client_secret"],
            "aem:orgId": credentials["org_id"],
            "aem-mail:unrelated": "x",
        }
    )
    assert base.CREDENTIALS.client().get_program("10001").name == "wknd"


def test_configure__environment_fills_missing_keys(
    emulator: EmulatorControl, credentials: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AEM_CLIENT_SECRET", credentials["client_secret"])
    _configure(
        {
            "aem:apiUrl": credentials["api_url"],
            "aem:imsUrl": credentials["ims_url"],
            "aem:clientId": credentials["client_id"],
            "aem:orgId": credentials["org_id"],
        }
    )
    assert base.CREDENTIALS.client().get_environment("10001", "20001").id == "20001"


def test_configure__missing_credential_is_named() -> None:
    _configure({"aem:clientId": "id", "aem:orgId": "org@AdobeOrg"})
    with pytest.raises(
        ConfigurationError, match=r"^AEM_CLIENT_SECRET is not set: .*aem:clientSecret"
    ):
        base.CREDENTIALS.client()


def test_configure__credentials_not_on_the_instance() -> None:
    provider = PortForwardProvider()
    provider.configure(ConfigureRequest(Config({"aem:clientSecret": "s3cr3t-value"}, "p")))
    assert "s3cr3t-value" not in repr(vars(provider))


def test_check__normalizes_defaults() -> None:
    result = PortForwardProvider().check({}, INPUTS)
    assert result.failures == []
    assert result.inputs["port_orig"] == 30465


def test_check__unknown_values_pass_through() -> None:
    news = {**INPUTS, "port_dest": rpc.UNKNOWN, "host": rpc.UNKNOWN}
    result = PortForwardProvider().check({}, news)
    assert result.failures == []
    assert result.inputs["port_dest"] == rpc.UNKNOWN


def test_diff__no_change_ignores_provider_and_outputs() -> None:
    olds = {**PortForwardProvider().check({}, INPUTS).inputs, "__provider": "old-code"}
    news = {**PortForwardProvider().check({}, INPUTS).inputs, "__provider": "new-code"}
    result = PortForwardProvider().diff("10001/20001/30465", olds, news)
    assert (result.changes, result.replaces) == (False, [])


def test_diff__numbers_compare_by_value() -> None:
    olds = {**PortForwardProvider().check({}, INPUTS).inputs, "port_dest": 465.0}
    news = PortForwardProvider().check({}, INPUTS).inputs
    assert PortForwardProvider().diff("id", olds, news).changes is False


def test_diff__unknown_counts_as_change() -> None:
    olds = PortForwardProvider().check({}, INPUTS).inputs
    news = {**olds, "port_orig": rpc.UNKNOWN}
    result = PortForwardProvider().diff("id", olds, news)
    assert (result.changes, result.replaces) == (True, ["port_orig"])
