"""Moving a stack from the dynamic resources (`aem_pulumi`) to the plugin (`aem_pulumi.native`)
with the real CLI: the import change alone, and not one Cloud Manager write."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from aem_pulumi.emulator.control_client import EmulatorControl

from .harness import PulumiCLIFactory
from .test_plugin import PASSWORD, stack, writes

pytestmark = pytest.mark.e2e

PROGRAM = textwrap.dedent(
    """
    import pulumi
    import aem_pulumi as aem

    config = pulumi.Config()
    net = aem.AdvancedNetworking(
        "network", program_id="10001", kind="flexiblePortEgress", region="va7"
    )
    env = aem.EnvironmentAdvancedNetworking(
        "env", program_id="10001", environment_id="20001",
        opts=pulumi.ResourceOptions(depends_on=[net]),
    )
    ldap = aem.PortForward(
        "ldap", program_id="10001", environment_id="20001", host="ldap.wknd.example",
        port_dest=636, opts=pulumi.ResourceOptions(depends_on=[env]),
    )
    region = aem.EnvironmentVariable(
        "region", program_id="10001", environment_id="20001", name="REGION", value="va7"
    )
    mail = aem.MailService(
        "mail", program_id="10001", environment_id="20001", smtp_host="smtp.sendgrid.net",
        from_address="noreply@wknd.example", username="apikey",
        password=config.require_secret("password"), app_name="wknd",
        opts=pulumi.ResourceOptions(depends_on=[env]),
    )
    pulumi.export("mail_json", mail.default_mail_service_json)
    pulumi.export("ldap_port_orig", ldap.port_orig)
    """
)
NATIVE = PROGRAM.replace("import aem_pulumi as aem", "import aem_pulumi.native as aem")


def test_migration__import_change_alone_writes_nothing(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    cli = stack(pulumi_cli_factory, tmp_path / "p", emulator.url, PROGRAM)
    cli.up()
    before = cli.outputs()
    dynamic = [r["type"] for r in cli.export()["deployment"]["resources"]]
    assert dynamic.count("pulumi-python:dynamic/aem:PortForward") == 2
    emulator.clear_requests()

    (cli.project_dir / "__main__.py").write_text(NATIVE)
    # The engine finds each resource under the alias the native classes carry (its dynamic
    # type), and the plugin's Diff finds the same inputs: nothing to create, update or replace.
    assert cli.preview_json()["changeSummary"] == {"same": 9}
    cli.up()

    assert writes(emulator) == []
    assert cli.outputs() == before
    resources = cli.export()["deployment"]["resources"]
    assert sorted({r["type"] for r in resources}) == [  # no dynamic type, no pulumi-python provider
        "aem:index:AdvancedNetworking",
        "aem:index:EnvironmentAdvancedNetworking",
        "aem:index:EnvironmentSecret",
        "aem:index:EnvironmentVariable",
        "aem:index:MailService",
        "aem:index:PortForward",
        "pulumi:providers:aem",
        "pulumi:pulumi:Stack",
    ]
    assert sorted(
        r["urn"].rpartition("::")[2] for r in resources if "MailService$" in r["urn"]
    ) == [
        "mail-password",
        "mail-smtp",
        "mail-username",
    ]
    assert PASSWORD not in json.dumps(cli.export())
    cli.preview(expect_no_changes=True)
    cli.refresh(expect_no_changes=True)
    assert writes(emulator) == []

    # The plugin manages what it took over: an edit is one update, a destroy removes all.
    (cli.project_dir / "__main__.py").write_text(NATIVE.replace("ldap.wknd", "ldap2.wknd"))
    cli.up()
    assert writes(emulator) == ["PUT /api/program/10001/environment/20001/advancedNetworking"]
    cli.destroy()
    assert cli.export()["deployment"].get("resources") in (None, [])
