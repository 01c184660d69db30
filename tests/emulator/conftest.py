"""Helpers of the emulator tests: an authenticated API session and polling."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
import requests

from aem_pulumi.emulator.control_client import EmulatorControl
from tests.payloads import vpn_body  # re-exported for the emulator tests

PROGRAM_ID, DEV, STAGE, PROD = "10001", "20001", "20002", "20003"
PROGRAM = f"/api/program/{PROGRAM_ID}"
INFRASTRUCTURES = f"{PROGRAM}/networkInfrastructures"
ERROR_TYPE = "http://ns.adobe.com/adobecloud/error"
VALIDATION_EXCEPTION = "http://ns.adobe.com/adobecloud/validation-exception"
PROBLEM_JSON = "application/problem+json"
REL = "http://ns.adobe.com/adobecloud/rel/"
POLL_TIMEOUT = 10.0


def environment(env_id: str = DEV, program: str = PROGRAM) -> str:
    """The path of an environment."""
    return f"{program}/environment/{env_id}"


def infrastructure(infra_id: str, program: str = PROGRAM) -> str:
    """The path of a network infrastructure."""
    return f"{program}/networkInfrastructure/{infra_id}"


def error(
    status: int,
    title: str,
    invalid: list[tuple[str, str]] | None = None,
    missing: list[str] | None = None,
) -> dict[str, Any]:
    """The exact `BadRequestError` body expected."""
    return {
        "status": status,
        "type": ERROR_TYPE,
        "title": title,
        "invalidParams": [{"name": n, "reason": r} for n, r in invalid or []],
        "missingParams": [{"name": name} for name in missing or []],
    }


def problem(*errors: tuple[str, str]) -> dict[str, Any]:
    """The exact `validation-exception` problem body expected: one entry per (field, message)."""
    entries = {
        field: {"field": field, "code": "VALIDATION_ERROR_CODE", "message": message}
        for field, message in errors
    }
    return {
        "type": VALIDATION_EXCEPTION,
        "title": "Constraint Violations",
        "status": 400,
        "errors": entries,
    }


def refused(response: requests.Response, expected: dict[str, Any]) -> None:
    """The call was refused with exactly this body, as `application/problem+json` for a problem."""
    content_type = PROBLEM_JSON if "errors" in expected else "application/json"
    assert (response.status_code, response.headers["Content-Type"], response.json()) == (
        expected["status"],
        content_type,
        expected,
    )


def poll(read: Callable[[], Any], done: Callable[[Any], bool]) -> Any:
    """Call `read` until `done` holds for its answer; fail after POLL_TIMEOUT seconds."""
    deadline = time.monotonic() + POLL_TIMEOUT
    while True:
        answer = read()
        if done(answer):
            return answer
        assert time.monotonic() < deadline, f"still {answer!r} after {POLL_TIMEOUT}s"
        time.sleep(0.05)


def token_for(credentials: dict[str, str]) -> str:
    """A fresh token from the emulator's IMS."""
    response = requests.post(
        f"{credentials['ims_url']}/ims/token/v3",
        data={
            "client_id": credentials["client_id"],
            "client_secret": credentials["client_secret"],
            "grant_type": "client_credentials",
            "scope": "openid,AdobeID,read_organizations",
        },
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class Api:
    """A requests session carrying the three headers every API call needs."""

    def __init__(self, credentials: dict[str, str]) -> None:
        self.url = credentials["api_url"]
        self.session = requests.Session()
        self.session.headers.update(
            {
                "x-api-key": credentials["client_id"],
                "x-gw-ims-org-id": credentials["org_id"],
                "Authorization": f"Bearer {token_for(credentials)}",
            }
        )

    def call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        """One call to the API."""
        return self.session.request(method, f"{self.url}{path}", timeout=10, **kwargs)

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        """GET."""
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any) -> requests.Response:
        """POST a JSON body."""
        return self.call("POST", path, json=body)

    def put(self, path: str, body: Any) -> requests.Response:
        """PUT a JSON body."""
        return self.call("PUT", path, json=body)

    def patch(self, path: str, body: Any) -> requests.Response:
        """PATCH a JSON body."""
        return self.call("PATCH", path, json=body)

    def delete(self, path: str) -> requests.Response:
        """DELETE."""
        return self.call("DELETE", path)

    def body(self, path: str) -> Any:
        """The JSON answer of a GET that must succeed."""
        response = self.get(path)
        assert response.status_code == 200, response.text
        return response.json()

    def status(self, path: str) -> Any:
        """The `status` field of a resource."""
        return self.body(path)["status"]

    def wait_for_status(self, path: str, status: str) -> Any:
        """Poll a resource until its status is `status`; its body then."""
        return poll(lambda: self.body(path), lambda body: body["status"] == status)

    def create_infrastructure(
        self, kind: str = "flexiblePortEgress", region: str = "va7", program: str = PROGRAM
    ) -> Any:
        """Create an infrastructure that must be accepted; its body."""
        body = vpn_body(region) if kind == "vpn" else {"kind": kind, "region": region}
        response = self.post(f"{program}/networkInfrastructures", body)
        assert response.status_code == 201, response.text
        return response.json()

    def enable(self, env_id: str = DEV, body: Any = None) -> Any:
        """Enable advanced networking (accepted); the environment's body."""
        response = self.put(f"{environment(env_id)}/advancedNetworking", body or {})
        assert response.status_code == 200, response.text
        return response.json()

    def set_variables(self, updates: list[dict[str, Any]], env_id: str = DEV) -> None:
        """PATCH variables (accepted)."""
        response = self.patch(f"{environment(env_id)}/variables", updates)
        assert response.status_code == 204, response.text

    def variables(self, env_id: str = DEV) -> list[Any]:
        """The variables GET lists."""
        return list(self.body(f"{environment(env_id)}/variables")["_embedded"]["variables"])


@pytest.fixture
def api(emulator: EmulatorControl, credentials: dict[str, str]) -> Api:
    """An authenticated session on the freshly reset emulator."""
    return Api(credentials)


@pytest.fixture
def ready_infrastructure(api: Api) -> Any:
    """A ready flexiblePortEgress infrastructure in program 10001's primary region (va7)."""
    return api.create_infrastructure()


@pytest.fixture
def dedicated_infrastructure(api: Api) -> Any:
    """A ready dedicatedEgressIp infrastructure in va7 (non-proxy hosts need one, or a VPN)."""
    return api.create_infrastructure("dedicatedEgressIp")


@pytest.fixture
def production_in_nld2(emulator: EmulatorControl) -> dict[str, Any]:
    """The seed's production environment (20003) also runs in nld2, an additional region."""
    return emulator.add_region_deployment(PROGRAM_ID, PROD, "nld2")
