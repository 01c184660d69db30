"""examples/yaml with the real CLI and Pulumi's YAML language host: the plugin serves another
language (its schema, its resources and MailService whole, through Construct)."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl

from .harness import REPO_ROOT, PulumiCLI, PulumiCLIFactory
from .test_plugin import configure, writes

pytestmark = pytest.mark.e2e

PLUGIN_DIR = Path(sys.executable).parent
LDAP_PASSWORD = "yaml-e2e-ldap-password-5c1d"
PASSWORD = "yaml-e2e-password-8e2b"


def _yaml_stack(
    factory: PulumiCLIFactory, folder: Path, url: str, pulumi_bin: Path, program: str | None = None
) -> PulumiCLI:
    """Stack `dev` of a copy of examples/yaml (or of `program`), the plugin on PATH."""
    shutil.copytree(REPO_ROOT / "examples" / "yaml", folder)
    if program is not None:
        (folder / "Pulumi.yaml").write_text(program)
    # As after `pip install aem-pulumi`: the plugin on PATH (the example names no plugin path).
    path = os.pathsep.join([str(pulumi_bin), str(PLUGIN_DIR), os.environ.get("PATH", "")])
    cli = factory(folder, env={"PATH": path, "AEM_POLL_INTERVAL": "0.05"})
    cli.stack_init("dev")
    configure(cli, url)
    cli.config_set("ldapPassword", LDAP_PASSWORD, secret=True)
    cli.config_set("emailPassword", PASSWORD, secret=True)
    return cli


def test_yaml__up_preview_destroy(
    pulumi_cli_factory: PulumiCLIFactory,
    emulator: EmulatorControl,
    tmp_path: Path,
    pulumi_bin: Path,
) -> None:
    cli = _yaml_stack(pulumi_cli_factory, tmp_path / "yaml", emulator.url, pulumi_bin)

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


def test_yaml__mail_service_refusal_without_traceback(
    pulumi_cli_factory: PulumiCLIFactory,
    emulator: EmulatorControl,
    tmp_path: Path,
    pulumi_bin: Path,
) -> None:
    program = (REPO_ROOT / "examples" / "yaml" / "Pulumi.yaml").read_text()
    program = program.replace("runMode: dev", "runMode: preview")
    cli = _yaml_stack(pulumi_cli_factory, tmp_path / "yaml", emulator.url, pulumi_bin, program)
    result = cli.run("preview", "--non-interactive", check=False)
    assert result.returncode != 0
    assert (
        "MailService: run_mode 'preview' is not author, publish, dev, stage, prod or "
        "author/publish.dev/stage/prod (config.preview cannot be declared)"
    ) in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert writes(emulator) == []


def test_yaml__two_mail_services_at_once(
    pulumi_cli_factory: PulumiCLIFactory,
    emulator: EmulatorControl,
    tmp_path: Path,
    pulumi_bin: Path,
) -> None:
    program = (REPO_ROOT / "examples" / "yaml" / "Pulumi.yaml").read_text()
    second = """  mail2:
    type: aem:index:MailService
    properties:
      programId: ${programId}
      environmentId: ${environmentId}
      smtpHost: smtp.other.example
      smtpPort: 587
      fromAddress: noreply@wknd.example
      username: apikey
      password: ${emailPassword}
      usernameVariable: EMAIL2_USERNAME
      passwordVariable: EMAIL2_PASSWORD
      appName: wknd
    options:
      dependsOn:
        - ${env}

outputs:
  mail2PortOrig: ${mail2.portOrig}"""
    program = program.replace("\noutputs:", "\n" + second, 1)
    cli = _yaml_stack(pulumi_cli_factory, tmp_path / "yaml", emulator.url, pulumi_bin, program)
    cli.up()
    outputs = cli.outputs()
    assert (outputs["mailPortOrig"], outputs["mail2PortOrig"]) == (30465, 30587)
    resources = cli.export()["deployment"]["resources"]
    children = sorted(r["urn"].rpartition("::")[2] for r in resources if "MailService$" in r["urn"])
    assert children == [
        "mail-password",
        "mail-smtp",
        "mail-username",
        "mail2-password",
        "mail2-smtp",
        "mail2-username",
    ]
    cli.preview(expect_no_changes=True)
