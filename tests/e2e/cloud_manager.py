"""What the emulator holds after a run, read through its API and control plane.

The end-to-end tests judge every outcome on Cloud Manager's side: the rules and variables an
environment holds, the program's infrastructures, the writes that arrived, the faults not spent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from aem_pulumi.client import ClientSettings, CloudManagerClient
from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl

from .projects import PROGRAM_ID

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


@dataclass
class CloudManager:
    """The emulator a case runs against: its URL, control plane and an API client to inspect it."""

    url: str
    control: EmulatorControl
    api: CloudManagerClient


def cloud_manager_at(url: str) -> CloudManager:
    """The emulator at `url`, with the seed's credentials."""
    settings = {"api_url": url, "ims_url": url, "client_id": CLIENT_ID}
    settings |= {"client_secret": CLIENT_SECRET, "org_id": ORG_ID}
    return CloudManager(url, EmulatorControl(url), CloudManagerClient(ClientSettings(**settings)))


def port_forwards(
    api: CloudManagerClient, environment_id: str
) -> list[tuple[str, int, int]] | None:
    """The environment's rules as (host, port_dest, port_orig); None when networking is disabled."""
    configurations = api.get_advanced_networking(PROGRAM_ID, environment_id)
    enabled = [c for c in configurations if c.advanced_networking_enabled]
    if not enabled:
        return None
    return sorted((r.name or "", r.port_dest, r.port_orig) for r in enabled[0].port_forwards)


def variables(
    api: CloudManagerClient, environment_id: str
) -> dict[str, tuple[str, str | None, str | None]]:
    """The environment's variables: name -> (type, value (None for a secret), status)."""
    return {
        v.name: (v.type, v.value, v.status) for v in api.list_variables(PROGRAM_ID, environment_id)
    }


def secret_names(cm: CloudManager, environment_id: str) -> dict[str, str]:
    """The environment's secretString variables: name -> status."""
    found = variables(cm.api, environment_id)
    return {
        name: status or "" for name, (kind, _, status) in found.items() if kind == "secretString"
    }


def infrastructures(cm: CloudManager, program_id: str = PROGRAM_ID) -> list[tuple[str, str]]:
    """The program's infrastructures as (kind, status)."""
    return [(i.kind, i.status or "") for i in cm.api.list_network_infrastructures(program_id)]


def wait_environment_ready(api: CloudManagerClient, environment_id: str) -> None:
    """Wait (at most 20 s) until the environment is `ready` after a change made here."""
    deadline = time.monotonic() + 20
    while (status := api.get_environment(PROGRAM_ID, environment_id).status) != "ready":
        assert time.monotonic() < deadline, f"environment {environment_id} still {status}"
        time.sleep(0.1)


def writes(emulator: EmulatorControl) -> list[tuple[str, str]]:
    """The (method, path) of the API writes the emulator received since its log was cleared."""
    return [
        (r["method"], r["path"])
        for r in emulator.requests()
        if r["method"] in WRITE_METHODS and r["path"].startswith("/api/")
    ]


def faults_left(cm: CloudManager) -> list[dict[str, Any]]:
    """The armed faults that have not fired (count faults disappear once spent)."""
    return cm.control.faults()
