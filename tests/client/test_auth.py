"""OAuth server-to-server tokens and settings, against the emulator's IMS endpoint."""

from __future__ import annotations

import threading
from typing import Any

import pytest
import requests

from aem_pulumi.client import (
    AuthenticationError,
    CloudManagerClient,
    ConfigurationError,
    RetryPolicy,
)
from aem_pulumi.client.auth import TokenProvider
from aem_pulumi.client.settings import ClientSettings
from aem_pulumi.emulator.control_client import EmulatorControl

TOKEN_PATH = "/ims/token/v3"


def _token_calls(emulator: EmulatorControl) -> int:
    return sum(1 for r in emulator.requests() if r["path"] == TOKEN_PATH)


def test_token__fetched_once_and_cached(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    for _ in range(3):
        client.get_program("10001")
    assert _token_calls(emulator) == 1


def test_token__renewed_once_after_401(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    client.get_program("10001")
    emulator.revoke_tokens()
    assert client.get_program("10001").id == "10001"
    statuses = [(r["path"], r["status"]) for r in emulator.requests()]
    assert statuses[-3:] == [
        ("/api/program/10001", 401),
        (TOKEN_PATH, 200),
        ("/api/program/10001", 200),
    ]


def test_token__renewed_before_expiry(
    credentials: dict[str, str], emulator: EmulatorControl
) -> None:
    now = [0.0]
    settings = ClientSettings.resolve(credentials, env={})
    tokens = TokenProvider(
        settings, requests.Session(), timeout=(5, 5), retry=RetryPolicy(), clock=lambda: now[0]
    )
    first = tokens.token()
    # A 24 h token (86399 s) is renewed at 90 % of its life: 77759.1 s.
    now[0] = 77759.0
    assert tokens.token() == first
    now[0] = 77759.2
    assert tokens.token() != first
    assert _token_calls(emulator) == 2


def test_token__one_fetch_for_concurrent_threads(
    client: CloudManagerClient, emulator: EmulatorControl
) -> None:
    barrier = threading.Barrier(8)
    errors: list[BaseException] = []

    def call() -> None:
        barrier.wait()
        try:
            client.get_environment("10001", "20001")
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=call) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _token_calls(emulator) == 1


def test_token__wrong_secret(make_client: Any) -> None:
    client = make_client(client_secret="not-the-secret-42")
    with pytest.raises(AuthenticationError) as caught:
        client.get_program("10001")
    assert caught.value.status == 401
    assert str(caught.value).startswith(
        "POST /ims/token/v3 failed with 401: invalid client_secret parameter (invalid_client)"
    )
    assert "not-the-secret-42" not in str(caught.value)


def test_request__wrong_organisation(make_client: Any) -> None:
    client = make_client(org_id="OTHER00000000000000000000@AdobeOrg")
    with pytest.raises(AuthenticationError) as caught:
        client.get_program("10001")
    assert caught.value.status == 403
    assert caught.value.title == (
        "Organization in x-gw-ims-org-id is not valid for this client (403027)"
    )


def test_settings__missing_setting_is_named() -> None:
    with pytest.raises(ConfigurationError) as caught:
        ClientSettings.resolve({"client_secret": "x", "org_id": "o"}, env={})
    assert str(caught.value) == (
        "AEM_CLIENT_ID is not set: give it in the environment or as aem:clientId "
        "in the stack configuration"
    )


def test_settings__from_environment() -> None:
    env = {
        "AEM_CLIENT_ID": "id",
        "AEM_CLIENT_SECRET": "secret-value",
        "AEM_ORG_ID": "org@AdobeOrg",
    }
    settings = ClientSettings.resolve(env=env)
    assert (settings.api_url, settings.ims_url) == (
        "https://cloudmanager.adobe.io",
        "https://ims-na1.adobelogin.com",
    )
    assert settings.scopes.startswith("openid,AdobeID,read_organizations")
    assert settings.client_secret.get_secret_value() == "secret-value"


def test_settings__explicit_wins_over_environment() -> None:
    env = {"AEM_CLIENT_ID": "from-env", "AEM_CLIENT_SECRET": "s", "AEM_ORG_ID": "o"}
    assert ClientSettings.resolve({"client_id": "explicit"}, env=env).client_id == "explicit"
