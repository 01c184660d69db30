"""The examples with the real Pulumi CLI against the emulator: Pulumi's ProgramTest, step by step.

Each test copies the projects into its own folder, gets a fresh file backend and a reset emulator
whose operations take FAST seconds, and runs the stacks as scripts/demo.sh does: the program stack
`wknd` (examples/network) first, then an environment stack (the repo root's project, `dev` by
default) that reads the infrastructure through a StackReference. Plans are checked on
`pulumi preview --diff --json` (`op`, `replaceReasons`, `changeSummary`: the engine leaves
`diffReasons`/`detailedDiff` null for dynamic resources), results on the emulator's state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from aem_pulumi.client import ClientSettings, CloudManagerClient
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.timings import Timings
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward
from aem_pulumi.models.variables import VariableUpdate

from .cloud_manager import port_forwards, variables, wait_environment_ready, writes
from .harness import PulumiCLI, PulumiCLIFactory
from .processes import BackgroundUp, wait_for_request
from .projects import (
    CLIENT_SECRET,
    ENVIRONMENTS,
    PASSWORDS,
    PROGRAM_ID,
    mail_stack,
    network_stack,
)

FAST = 0.5
"""Seconds every asynchronous emulator operation takes (real waits, but short ones)."""
DEV, STAGE = ENVIRONMENTS["dev"], ENVIRONMENTS["stage"]
SENDGRID = ("smtp.sendgrid.net", 465, 30465)
"""The port forward the dev stack declares: (host, port_dest, port_orig)."""
EDITED_PASSWORD = "e2e-edited-password-7c41"

DEFAULT_MAIL_SERVICE = {
    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
    "smtp.port": "30465",
    "smtp.user": "$[env:EMAIL_USERNAME]",
    "smtp.password": "$[secret:EMAIL_PASSWORD]",
    "from.address": "noreply@wknd.site",
    "smtp.ssl": True,
    "smtp.starttls": False,
    "smtp.requiretls": False,
    "debug.email": False,
    "oauth.flow": False,
}
"""The DefaultMailService OSGi configuration the dev stack must print (Adobe's guide)."""
OSGI_CONFIG_PATH = "ui.config/src/jcr_root/apps/wknd/osgiconfig/config/com.day.cq.mailer.DefaultMailService.cfg.json"
MAIL_RESOURCES = ("advanced-networking", "mail", "mail-smtp", "mail-username", "mail-password")


@dataclass
class Deployed:
    """The program stack and the dev environment stack, both up."""

    network: PulumiCLI
    dev: PulumiCLI


@pytest.fixture
def cloud_manager(emulator: EmulatorControl, credentials: dict[str, str]) -> CloudManagerClient:
    """The reset emulator with every operation taking FAST seconds; a client to inspect it."""
    emulator.set_timings(**dict.fromkeys(Timings.model_fields, FAST))
    return CloudManagerClient(ClientSettings.resolve(credentials))


@pytest.fixture
def deployed(
    cloud_manager: CloudManagerClient,
    emulator: EmulatorControl,
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
) -> Deployed:
    """`wknd` and `dev` up on the emulator, as scripts/demo.sh leaves them."""
    network = network_stack(pulumi_cli_factory, tmp_path, emulator.url)
    network.up()
    dev = mail_stack(pulumi_cli_factory, tmp_path, emulator.url, "dev")
    dev.up()
    assert port_forwards(cloud_manager, DEV) == [SENDGRID]
    return Deployed(network, dev)


# --- 1. up, then nothing left to do -----------------------------------------------------------


@pytest.mark.e2e
def test_examples__up_then_no_changes(
    cloud_manager: CloudManagerClient,
    emulator: EmulatorControl,
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
) -> None:
    network = network_stack(pulumi_cli_factory, tmp_path, emulator.url)
    assert planned_ops(network.preview_json()) == {
        "aem-network-wknd": "create",
        "network": "create",
    }
    network.up()
    network.preview(expect_no_changes=True)
    network.refresh(expect_no_changes=True)
    infrastructure = network.outputs()
    assert infrastructure["status"] == "ready"
    [found] = cloud_manager.list_network_infrastructures(PROGRAM_ID)
    assert (found.id, found.kind, found.region, found.status) == (
        infrastructure["infrastructure_id"],
        "flexiblePortEgress",
        "va7",
        "ready",
    )

    dev = mail_stack(pulumi_cli_factory, tmp_path, emulator.url, "dev")
    creates = dict.fromkeys(("aem-mail-dev", *MAIL_RESOURCES), "create")
    assert planned_ops(dev.preview_json()) == creates
    dev.up()
    dev.preview(expect_no_changes=True)
    dev.refresh(expect_no_changes=True)

    outputs = dev.outputs()
    assert json.loads(outputs["default_mail_service_json"]) == DEFAULT_MAIL_SERVICE
    assert outputs["osgi_config_path"] == OSGI_CONFIG_PATH
    assert (outputs["port_orig"], outputs["infrastructure_id"]) == (30465, found.id)
    [networking] = cloud_manager.get_advanced_networking(PROGRAM_ID, DEV)
    assert (networking.advanced_networking_enabled, networking.network_infrastructure_id) == (
        True,
        found.id,
    )
    assert port_forwards(cloud_manager, DEV) == [SENDGRID]
    assert variables(cloud_manager, DEV) == {
        "EMAIL_USERNAME": ("string", "apikey", "ready"),
        "EMAIL_PASSWORD": ("secretString", None, "ready"),
    }


# --- 2. edits: update in place, replace, secret update ------------------------------------------


@pytest.mark.e2e
def test_examples__edits_update_replace_and_secret(
    deployed: Deployed, cloud_manager: CloudManagerClient, emulator: EmulatorControl
) -> None:
    dev = deployed.dev
    # host and port_dest on the same port_orig: an update in place.
    dev.config_set("smtpPortOrig", "30465")
    dev.config_set("smtpPort", "2525")
    dev.config_set("smtpHost", "smtp.mailgun.org")
    plan = dev.preview_json()
    assert planned_ops(plan) == {"mail-smtp": "update"}
    assert plan["changeSummary"] == {"same": 5, "update": 1}
    dev.up()
    assert port_forwards(cloud_manager, DEV) == [("smtp.mailgun.org", 2525, 30465)]
    mail_json = json.loads(dev.outputs()["default_mail_service_json"])
    assert (mail_json["smtp.port"], mail_json["smtp.ssl"], mail_json["smtp.starttls"]) == (
        "30465",
        False,
        True,
    )

    # port_orig is the rule's identity: a replacement.
    dev.config_set("smtpPortOrig", "30525")
    plan = dev.preview_json()
    assert planned_ops(plan) == {"mail-smtp": "replace"}
    assert planned_steps(plan)["mail-smtp"]["replaceReasons"] == ["port_orig"]
    assert plan["changeSummary"] == {"same": 5, "replace": 1}
    dev.up()
    assert port_forwards(cloud_manager, DEV) == [("smtp.mailgun.org", 2525, 30525)]
    assert dev.outputs()["port_orig"] == 30525

    # A new secret value: an update that sends the value and nothing else, shown nowhere.
    dev.config_set("emailPassword", EDITED_PASSWORD, secret=True)
    plan = dev.preview_json()
    assert planned_ops(plan) == {"mail-password": "update"}
    assert plan["changeSummary"] == {"same": 5, "update": 1}
    emulator.clear_requests()
    dev.up()
    assert writes(emulator) == [("PATCH", f"/api/program/{PROGRAM_ID}/environment/{DEV}/variables")]
    assert variables(cloud_manager, DEV)["EMAIL_PASSWORD"] == ("secretString", None, "ready")
    dev.preview(expect_no_changes=True)
    dev.refresh(expect_no_changes=True)

    exposed = [json.dumps(plan), json.dumps(dev.export()), dev.transcript, *state_texts(dev)]
    assert not [text for text in exposed if EDITED_PASSWORD in text]


# --- 3. drift ---------------------------------------------------------------------------------


@pytest.mark.e2e
def test_refresh__finds_out_of_band_changes_and_up_repairs(
    deployed: Deployed, cloud_manager: CloudManagerClient, emulator: EmulatorControl
) -> None:
    dev = deployed.dev
    # Someone edits Cloud Manager by hand: another SMTP host, and the password secret deleted.
    hijacked = PortForward(name="smtp.example.org", port_dest=465, port_orig=30465)
    wait_environment_ready(cloud_manager, DEV)
    cloud_manager.put_advanced_networking(
        PROGRAM_ID, DEV, AdvancedNetworkingUpdate(non_proxy_hosts=[], port_forwards=[hijacked])
    )
    wait_environment_ready(cloud_manager, DEV)
    delete = VariableUpdate(name="EMAIL_PASSWORD", value="", type="secretString")
    cloud_manager.patch_variables(PROGRAM_ID, DEV, [delete])
    wait_environment_ready(cloud_manager, DEV)
    assert port_forwards(cloud_manager, DEV) == [("smtp.example.org", 465, 30465)]
    assert "EMAIL_PASSWORD" not in variables(cloud_manager, DEV)

    refresh = dev.run(
        "refresh",
        "--yes",
        "--non-interactive",
        "--skip-preview",
        "--expect-no-changes",
        check=False,
    )
    assert refresh.returncode == 7, refresh.stdout + refresh.stderr  # 7: changes were found
    plan = dev.preview_json()
    assert planned_ops(plan) == {"mail-smtp": "update", "mail-password": "create"}

    dev.up()
    assert port_forwards(cloud_manager, DEV) == [SENDGRID]
    assert variables(cloud_manager, DEV)["EMAIL_PASSWORD"] == ("secretString", None, "ready")
    dev.refresh(expect_no_changes=True)
    dev.preview(expect_no_changes=True)


# --- 4. destroy -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_destroy__leaves_nothing_in_cloud_manager(
    deployed: Deployed, cloud_manager: CloudManagerClient
) -> None:
    deployed.dev.destroy()
    assert port_forwards(cloud_manager, DEV) is None  # advanced networking disabled
    assert variables(cloud_manager, DEV) == {}
    assert cloud_manager.get_environment(PROGRAM_ID, DEV).status == "ready"

    deployed.network.destroy()
    assert cloud_manager.list_network_infrastructures(PROGRAM_ID) == []
    assert deployed.dev.outputs() == {}
    assert deployed.network.outputs() == {}
    for cli in (deployed.dev, deployed.network):
        assert "resources" not in cli.export()["deployment"]


# --- 5. two environment stacks ----------------------------------------------------------------


@pytest.mark.e2e
def test_environment_stacks__independent(
    deployed: Deployed,
    cloud_manager: CloudManagerClient,
    emulator: EmulatorControl,
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
) -> None:
    dev = deployed.dev
    stage = mail_stack(pulumi_cli_factory, tmp_path, emulator.url, "stage")
    stage.up()
    stage_state = (port_forwards(cloud_manager, STAGE), variables(cloud_manager, STAGE))
    assert stage_state == (
        [SENDGRID],
        {
            "EMAIL_USERNAME": ("string", "apikey", "ready"),
            "EMAIL_PASSWORD": ("secretString", None, "ready"),
        },
    )
    emulator.clear_requests()

    dev.config_set("smtpHost", "smtp.mailgun.org")
    dev.up()
    assert port_forwards(cloud_manager, DEV) == [("smtp.mailgun.org", 465, 30465)]
    stage.preview(expect_no_changes=True)

    dev.destroy()
    assert (port_forwards(cloud_manager, DEV), variables(cloud_manager, DEV)) == (None, {})
    assert (port_forwards(cloud_manager, STAGE), variables(cloud_manager, STAGE)) == stage_state
    assert not [path for _, path in writes(emulator) if f"/environment/{STAGE}/" in path]
    stage.preview(expect_no_changes=True)
    stage.refresh(expect_no_changes=True)


# --- 6. nothing secret leaks ------------------------------------------------------------------


@pytest.mark.e2e
def test_examples__nothing_secret_leaks(
    deployed: Deployed,
    credentials: dict[str, str],
    emulator: EmulatorControl,
) -> None:
    dev, network = deployed.dev, deployed.network
    dev.config_set("emailPassword", EDITED_PASSWORD, secret=True)
    plan = json.dumps(dev.preview_json())
    dev.up()
    dev.refresh()
    exports = [json.dumps(cli.export()) for cli in (dev, network)]
    dev.destroy()
    network.destroy()

    exposed = [plan, *exports, dev.transcript, network.transcript, *state_texts(dev)]
    for secret in (CLIENT_SECRET, PASSWORDS["dev"], EDITED_PASSWORD):
        assert not [text for text in exposed if secret in text], f"{secret} leaked"
    # The providers did log in: tokens were issued, and none of them shows anywhere.
    issued = [r for r in emulator.requests() if r["path"] == "/ims/token/v3" and r["status"] == 200]
    assert issued
    probe = TokenProbe(credentials)
    planted = probe.fresh_token()  # proves the probe finds a live token inside text
    assert probe.live_tokens_in([f"Authorization: Bearer {planted}\n"]) == {planted}
    assert probe.live_tokens_in(exposed) == set()


# --- 7. a create that waits longer than 180 s ---------------------------------------------------


@pytest.mark.e2e
def test_up__create_waiting_longer_than_180s(
    cloud_manager: CloudManagerClient,
    emulator: EmulatorControl,
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
) -> None:
    # pulumi/pulumi#13841 reported Python dynamic operations hanging after about 180 s; creating
    # network infrastructure really takes 15+ minutes. The emulator's create lasts 200 s.
    assert emulator.set_timings(infrastructure_create=200)["infrastructure_create"] == 200
    network = network_stack(pulumi_cli_factory, tmp_path, emulator.url, poll_interval=1.0)

    running = BackgroundUp(network, tmp_path / "up.log")
    try:
        wait_for_request(emulator, "GET", r"/networkInfrastructure/\d+$", running)
        [polled] = cloud_manager.list_network_infrastructures(PROGRAM_ID)
        code, output = running.wait(timeout=400)
    finally:
        if running.running():
            running.kill()

    assert code == 0, output
    # The provider's first status read found the create in progress, and the provider went on
    # reading until the emulator made it `ready`, 200 s after the POST: it waited through it.
    assert polled.status == "creating"
    reads = [
        r
        for r in emulator.requests()
        if r["method"] == "GET" and r["path"].endswith(f"/networkInfrastructure/{polled.id}")
    ]
    assert len(reads) > 1 and {r["status"] for r in reads} == {200}
    [found] = cloud_manager.list_network_infrastructures(PROGRAM_ID)
    assert (found.id, found.status) == (polled.id, "ready")
    assert network.outputs()["status"] == "ready"


# --- helpers ----------------------------------------------------------------------------------


def planned_steps(digest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The steps that change something, by resource name.

    `same` steps are left out (the digest lists only some of them), and so is the StackReference's
    `read`, which every preview of an environment stack does.
    """
    return {
        step["urn"].rsplit("::", 1)[1]: step
        for step in digest["steps"]
        if step["op"] not in ("same", "read")
    }


def planned_ops(digest: dict[str, Any]) -> dict[str, str]:
    """`{resource name: op}` of the steps that change something."""
    return {name: step["op"] for name, step in planned_steps(digest).items()}


def state_texts(cli: PulumiCLI) -> list[str]:
    """Every file under the CLI's state folder (backend, backups, history, PULUMI_HOME)."""
    files = sorted(p for p in cli.state_dir.rglob("*") if p.is_file())
    return [p.read_text(errors="replace") for p in files]


class TokenProbe:
    """Finds the emulator's live access tokens in text (they are 43-character urlsafe strings).

    The emulator keeps only digests of the tokens it issues, so candidates are recognised by asking
    it: every 43-character window of every urlsafe run is tried as a bearer token on a read.
    """

    TOKEN_LENGTH = 43  # secrets.token_urlsafe(32), see aem_pulumi/emulator/auth.py
    RUN = re.compile(r"[A-Za-z0-9_-]{43,}")

    def __init__(self, credentials: dict[str, str]) -> None:
        self.credentials = credentials
        self.session = requests.Session()

    def fresh_token(self) -> str:
        """A token issued now to the seed's client."""
        body = {
            "grant_type": "client_credentials",
            "client_id": self.credentials["client_id"],
            "client_secret": self.credentials["client_secret"],
            "scope": "openid,AdobeID,read_organizations",  # IMS refuses a token without scope
        }
        url = f"{self.credentials['ims_url']}/ims/token/v3"
        response = self.session.post(url, data=body, timeout=10)
        response.raise_for_status()
        return str(response.json()["access_token"])

    def accepted(self, token: str) -> bool:
        """Whether the API accepts `token` (401 means it is no token of this emulator)."""
        headers = {
            "Authorization": f"Bearer {token}",
            "x-api-key": self.credentials["client_id"],
            "x-gw-ims-org-id": self.credentials["org_id"],
        }
        url = f"{self.credentials['api_url']}/api/program/{PROGRAM_ID}"
        status = self.session.get(url, headers=headers, timeout=10).status_code
        assert status in (200, 401), f"unexpected status {status} while probing a token"
        return status == 200

    def live_tokens_in(self, texts: Iterable[str]) -> set[str]:
        """The live tokens that occur in `texts`."""
        n = self.TOKEN_LENGTH
        candidates = {
            run[i : i + n]
            for text in texts
            for run in self.RUN.findall(text)
            for i in range(len(run) - n + 1)
        }
        return {c for c in candidates if self.accepted(c)}
