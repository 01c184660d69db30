"""IMS's token endpoint and the gateway's checks of every API call."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
import requests

from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer

from .conftest import PROGRAM, Api, poll, token_for

INVALID_TOKEN = {"error_code": "401013", "message": "Oauth token is not valid"}
INVALID_KEY = {"error_code": "403003", "message": "Api Key is invalid"}
INVALID_ORG = {
    "error_code": "403027",
    "message": "Organization in x-gw-ims-org-id is not valid for this client",
}


def _token_call(credentials: dict[str, str], **changes: str) -> requests.Response:
    """POST the IMS token form with some fields changed."""
    form = {
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "grant_type": "client_credentials",
        "scope": "openid,AdobeID,read_organizations",
        **changes,
    }
    return requests.post(f"{credentials['ims_url']}/ims/token/v3", data=form, timeout=10)


def _refused(response: requests.Response, status: int, body: dict[str, Any]) -> None:
    """The call was refused with exactly this status and body."""
    assert (response.status_code, response.json()) == (status, body)


def test_issue_token(emulator: EmulatorControl, credentials: dict[str, str]) -> None:
    response = _token_call(credentials)
    body = response.json()
    assert response.status_code == 200
    assert (body["token_type"], body["expires_in"]) == ("bearer", 86399)
    assert isinstance(body["access_token"], str) and body["access_token"]


def test_issue_token__wrong_secret(emulator: EmulatorControl, credentials: dict[str, str]) -> None:
    response = _token_call(credentials, client_secret="guess")
    expected = {"error": "invalid_client", "error_description": "invalid client_secret parameter"}
    _refused(response, 401, expected)


def test_issue_token__unknown_client(
    emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    response = _token_call(credentials, client_id="someone-else")
    expected = {"error": "invalid_client", "error_description": "invalid client_id parameter"}
    _refused(response, 400, expected)


def test_issue_token__wrong_grant_type(
    emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    response = _token_call(credentials, grant_type="authorization_code")
    expected = {
        "error": "unsupported_grant_type",
        "error_description": "grant_type must be client_credentials",
    }
    _refused(response, 400, expected)


def test_issue_token__every_allowed_scope(
    emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    scope = (
        "openid,AdobeID,read_organizations,additional_info.projectedProductContext,"
        "read_pc.dma_aem_ams"
    )
    assert _token_call(credentials, scope=scope).status_code == 200


def test_issue_token__unknown_scope(emulator: EmulatorControl, credentials: dict[str, str]) -> None:
    response = _token_call(credentials, scope="openid,AdobeID,ent_cloudmgr_sdk,read_pc")
    expected = {
        "error": "invalid_scope",
        "error_description": "invalid scope(s) for this client: ent_cloudmgr_sdk, read_pc",
    }
    _refused(response, 400, expected)


@pytest.mark.parametrize("scope", ["", " , "])
def test_issue_token__empty_scope(
    emulator: EmulatorControl, credentials: dict[str, str], scope: str
) -> None:
    expected = {"error": "invalid_scope", "error_description": "scope parameter is missing"}
    _refused(_token_call(credentials, scope=scope), 400, expected)


def test_issue_token__no_scope(emulator: EmulatorControl, credentials: dict[str, str]) -> None:
    form = {
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "grant_type": "client_credentials",
    }
    response = requests.post(f"{credentials['ims_url']}/ims/token/v3", data=form, timeout=10)
    expected = {"error": "invalid_scope", "error_description": "scope parameter is missing"}
    _refused(response, 400, expected)


def test_issue_token__scope_checked_after_the_client(
    emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    response = _token_call(credentials, client_secret="guess", scope="unknown")
    expected = {"error": "invalid_client", "error_description": "invalid client_secret parameter"}
    _refused(response, 401, expected)


def test_api_call(api: Api) -> None:
    response = api.get(PROGRAM)
    assert response.status_code == 200
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


@pytest.mark.parametrize(
    "authorization", [None, "Bearer not-a-token", "Basic YWVtOnNlY3JldA==", "Bearer "]
)
def test_api_call__invalid_token(api: Api, authorization: str | None) -> None:
    del api.session.headers["Authorization"]
    headers = {} if authorization is None else {"Authorization": authorization}
    response = api.get(PROGRAM, headers=headers)
    _refused(response, 401, INVALID_TOKEN)
    assert uuid.UUID(response.headers["x-request-id"]).version == 4


def test_api_call__revoked_token(api: Api, emulator: EmulatorControl) -> None:
    assert emulator.revoke_tokens() >= 1
    _refused(api.get(PROGRAM), 401, INVALID_TOKEN)


def test_api_call__expired_token(credentials: dict[str, str]) -> None:
    with EmulatorServer(token_ttl=0.3) as server:
        api = Api({**credentials, "api_url": server.url, "ims_url": server.url})
        response = poll(lambda: api.get(PROGRAM), lambda r: r.status_code != 200)
        _refused(response, 401, INVALID_TOKEN)


@pytest.mark.parametrize("api_key", [None, "someone-else"])
def test_api_call__invalid_api_key(api: Api, api_key: str | None) -> None:
    del api.session.headers["x-api-key"]
    headers = {} if api_key is None else {"x-api-key": api_key}
    _refused(api.get(PROGRAM, headers=headers), 403, INVALID_KEY)


@pytest.mark.parametrize("org_id", [None, "ANOTHER0000000000000000@AdobeOrg"])
def test_api_call__invalid_org(api: Api, org_id: str | None) -> None:
    del api.session.headers["x-gw-ims-org-id"]
    headers = {} if org_id is None else {"x-gw-ims-org-id": org_id}
    _refused(api.get(PROGRAM, headers=headers), 403, INVALID_ORG)


def test_api_call__new_token_after_revocation(
    api: Api, emulator: EmulatorControl, credentials: dict[str, str]
) -> None:
    emulator.revoke_tokens()
    api.session.headers["Authorization"] = f"Bearer {token_for(credentials)}"
    assert api.get(PROGRAM).status_code == 200
