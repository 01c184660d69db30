"""Adobe's JS SDK on the session's emulator: Node runs `driver.js`, one SDK call per run.

Node.js and `npm ci` in this folder (`make install`) are required: without them every test here
fails with a message saying what to install, never skips.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import requests

from aem_pulumi.client import CloudManagerClient, RetryPolicy
from aem_pulumi.emulator.control_client import EmulatorControl

HERE = Path(__file__).parent
DRIVER = HERE / "driver.js"
SDK_PACKAGE = HERE / "node_modules" / "@adobe" / "aio-lib-cloudmanager" / "package.json"
SDK_NAME = "node_modules/@adobe/aio-lib-cloudmanager"
SCOPES = "openid,AdobeID,read_organizations,additional_info.projectedProductContext"
PROXY_VARIABLES = ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy")


def _pinned_version() -> str:
    """The SDK version the lock file pins."""
    lock = json.loads((HERE / "package-lock.json").read_text(encoding="utf-8"))
    return str(lock["packages"][SDK_NAME]["version"])


@pytest.fixture(scope="session")
def node() -> str:
    """The `node` executable, with the pinned SDK installed beside the driver; fails if not."""
    found = shutil.which("node")
    if found is None:
        pytest.fail("Node.js (18 or newer) is not on PATH: install it, then run `make install`")
    if not SDK_PACKAGE.exists():
        pytest.fail("Adobe's SDK is not installed in tests/sdk: run `make install` (npm ci)")
    installed = json.loads(SDK_PACKAGE.read_text(encoding="utf-8"))["version"]
    if installed != _pinned_version():
        pytest.fail(
            f"tests/sdk has SDK {installed}, the lock pins {_pinned_version()}: `make install`"
        )
    return found


def access_token(credentials: dict[str, str]) -> str:
    """A token from the emulator's IMS, as the SDK's users get one from Adobe's."""
    form = {
        "client_id": credentials["client_id"],
        "client_secret": credentials["client_secret"],
        "grant_type": "client_credentials",
        "scope": SCOPES,
    }
    response = requests.post(f"{credentials['ims_url']}/ims/token/v3", data=form, timeout=10)
    assert response.status_code == 200, response.text
    return str(response.json()["access_token"])


class Sdk:
    """Calls of Adobe's SDK, each in its own `node driver.js` run."""

    def __init__(self, node: str, credentials: dict[str, str]) -> None:
        self.node = node
        self.env = {k: v for k, v in os.environ.items() if k not in PROXY_VARIABLES}
        self.env.update(
            NO_PROXY="*",
            CM_BASE_URL=credentials["api_url"],
            CM_ORG_ID=credentials["org_id"],
            CM_API_KEY=credentials["client_id"],
            CM_ACCESS_TOKEN=access_token(credentials),
        )

    def run(self, method: str, *args: Any) -> dict[str, Any]:
        """The driver's answer: `{"result": ...}` or `{"error": {"code", "message"}}`."""
        completed = subprocess.run(
            [self.node, str(DRIVER)],
            input=json.dumps({"method": method, "args": list(args)}),
            capture_output=True,
            text=True,
            env=self.env,
            cwd=HERE,
            timeout=120,
            check=False,
        )
        assert completed.returncode == 0, completed.stderr
        answer: dict[str, Any] = json.loads(completed.stdout)
        return answer

    def call(self, method: str, *args: Any) -> Any:
        """The result of an SDK call that must succeed."""
        answer = self.run(method, *args)
        assert "error" not in answer, answer["error"]
        return answer["result"]

    def error(self, method: str, *args: Any) -> dict[str, str]:
        """The error of an SDK call that must fail: its code and message."""
        answer = self.run(method, *args)
        assert "error" in answer, answer
        error: dict[str, str] = answer["error"]
        return error


@pytest.fixture
def sdk(node: str, emulator: EmulatorControl, credentials: dict[str, str]) -> Sdk:
    """Adobe's SDK on the freshly reset emulator, with a fresh token."""
    return Sdk(node, credentials)


@pytest.fixture
def client(emulator: EmulatorControl, credentials: dict[str, str]) -> CloudManagerClient:
    """The project's own client on the same emulator."""
    return CloudManagerClient(**credentials, retry=RetryPolicy(jitter=lambda: 1.0))
