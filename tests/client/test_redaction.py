"""No access token, client secret or secret value in a message, a repr or a log line."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from aem_pulumi.client import APIError, CloudManagerClient, RetryPolicy
from aem_pulumi.emulator.auth import CLIENT_SECRET
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure, VpnConnection
from aem_pulumi.models.variables import Variable, VariableUpdate
from tests.payloads import vpn_body

SECRET_VALUE = "pa55-w0rd-do-not-show"


def _token(client: CloudManagerClient) -> str:
    return client._tokens.token()


def _assert_clean(text: str, *values: str) -> None:
    for value in values:
        assert value not in text


def test_repr__client_and_settings(client: CloudManagerClient) -> None:
    client.get_program("10001")
    token = _token(client)
    for text in (repr(client), repr(client.settings), str(client.settings), repr(client._tokens)):
        _assert_clean(text, CLIENT_SECRET, token)


def test_repr__models_hide_secret_values() -> None:
    assert SECRET_VALUE not in repr(VariableUpdate(name="P_W", value=SECRET_VALUE))
    assert SECRET_VALUE not in repr(Variable(name="P_W", value=SECRET_VALUE))
    assert SECRET_VALUE not in repr(VpnConnection.model_validate(_connection()))


def _connection() -> dict[str, Any]:
    return dict(vpn_body(shared_key=SECRET_VALUE)["connections"][0])


def test_errors_and_logs__failing_secret_patch(
    make_client: Any, emulator: EmulatorControl, caplog: pytest.LogCaptureFixture
) -> None:
    client = make_client(retry=RetryPolicy(max_attempts=3, jitter=lambda: 1.0))
    client.get_program("10001")
    emulator.inject_fault("http", status=500, method="PATCH", count=5)
    update = VariableUpdate(name="EMAIL_PASSWORD", value=SECRET_VALUE, type="secretString")
    with caplog.at_level(logging.DEBUG), pytest.raises(APIError) as caught:
        client.patch_variables("10001", "20001", [update])
    _assert_clean(str(caught.value) + repr(caught.value) + caplog.text, SECRET_VALUE, CLIENT_SECRET)
    _assert_clean(caplog.text + str(caught.value), _token(client))


def test_errors__secret_value_refused_by_the_api(client: CloudManagerClient) -> None:
    too_long = SECRET_VALUE * 30  # >= 500 characters: refused for a secretString
    update = VariableUpdate(name="EMAIL_PASSWORD", value=too_long, type="secretString")
    with pytest.raises(APIError) as caught:
        client.patch_variables("10001", "20001", [update])
    assert caught.value.status == 400
    _assert_clean(str(caught.value) + caught.value.title, SECRET_VALUE)
    _assert_clean(" ".join(p.reason for p in caught.value.invalid_params), SECRET_VALUE)


def test_errors_and_logs__vpn_shared_key(
    client: CloudManagerClient, emulator: EmulatorControl, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.inject_fault(
        "http", status=500, method="POST", path="networkInfrastructures", count=10
    )
    vpn = NetworkInfrastructure.model_validate(
        {
            "kind": "vpn",
            "region": "va7",
            "addressSpace": ["10.0.0.0/26"],
            "dns": {"resolvers": ["10.0.0.2"]},
            "connections": [_connection()],
        }
    )
    with caplog.at_level(logging.DEBUG), pytest.raises(APIError) as caught:
        client.create_network_infrastructure("10001", vpn)
    _assert_clean(str(caught.value) + caplog.text, SECRET_VALUE, CLIENT_SECRET, _token(client))
