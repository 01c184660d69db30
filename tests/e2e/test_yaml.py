"""examples/yaml with the real CLI and Pulumi's YAML language host: the plugin serves another
language (its schema, its resources and MailService whole, through Construct)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from aem_pulumi.client.emulator import EmulatorControl

from .harness import REPO_ROOT, PulumiCLIFactory
from .test_plugin import configure, writes

pytestmark = pytest.mark.e2e

PLUGIN_DIR = Path(sys.executable).parent
LDAP_PASSWORD = "yaml-e2e-ldap-password-5c1d"
PASSWORD = "yaml-e2e-password-8e2b"


def test_yaml__up_preview_destroy(
    pulumi_cli_factory: PulumiCLIFactory,
    emulator: EmulatorControl,
    tmp_path: Path,
    pulumi_bin: Path,
) -> None:
    folder = tmp_path / "yaml"
    shutil.copytree(REPO_ROOT / "examples" / "yaml", folder)
    # As after `pip install aem-pulumi`: the plugin on PATH (the example names no plugin path).
    path = os.pathsep.join([str(pulumi_bin), str(PLUGIN_DIR), os.environ.get("PATH", "")])
    cli = pulumi_cli_factory(folder, env={"PATH": path, "AEM_POLL_INTERVAL": "0.05"})
    cli.stack_init("dev")
    configure(cli, emulator.url)
    cli.config_set("ldapPassword", LDAP_PASSWORD, secret=True)
    cli.config_set("emailPassword", PASSWORD, secret=True)

    cli.up()

    outputs = cli.outputs()
    assert (outputs["ldapPortOrig"], outputs["mailPortOrig"]) == (30636, 30465)
    assert outputs["osgiConfigPath"] == (
        "ui.config/src/jcr_root/apps/wknd/osgiconfig/config.dev/"
        "com.day.cq.mailer.DefaultMailService.cfg.json"
    )
    assert json.loads(outputs["defaultMailServiceJson"])["smtp.port"] == "30465"
    resources = cli.export()["deployment"]["resources"]
    children = sorted(
        (r["urn"].rpartition("::")[2], r["type"]) for r in resources if "MailService$" in r["urn"]
    )
    assert children == [  # built by the plugin (Construct), of the plugin's own types
        ("mail-password", "aem:index:EnvironmentSecret"),
        ("mail-smtp", "aem:index:PortForward"),
        ("mail-username", "aem:index:EnvironmentVariable"),
    ]
    state = json.dumps(cli.export())
    assert LDAP_PASSWORD not in state and PASSWORD not in state

    emulator.clear_requests()
    cli.preview(expect_no_changes=True)
    cli.refresh(expect_no_changes=True)
    assert writes(emulator) == []

    cli.destroy()
    assert cli.export()["deployment"].get("resources") in (None, [])
