"""The provider plugin with the real Pulumi CLI against the emulator (aem_pulumi.native).

The project names the plugin through `plugins: providers:` in Pulumi.yaml (the other way, PATH,
is what the plugin tests' subprocess and a `pip install` give); the program is written per test.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl

from .harness import PulumiCLI, PulumiCLIFactory

pytestmark = pytest.mark.e2e

PROGRAM = """
import pulumi
import aem_pulumi.native as aem

config = pulumi.Config()
net = aem.AdvancedNetworking(
    "network", program_id="10001", kind="flexiblePortEgress", region="va7"
)
env = aem.EnvironmentAdvancedNetworking(
    "env", program_id="10001", environment_id="20001",
    opts=pulumi.ResourceOptions(depends_on=[net]),
)
timeouts = {"create": config.get("createTimeout")} if config.get("createTimeout") else None
rule = aem.PortForward(
    "smtp", program_id="10001", environment_id="20001",
    host=config.get("host") or "smtp.sendgrid.net", port_dest=465,
    port_orig=config.get_int("portOrig"),
    opts=pulumi.ResourceOptions(depends_on=[env]),
)
password = aem.EnvironmentSecret(
    "password", program_id="10001", environment_id="20001",
    name="EMAIL_PASSWORD", value=config.require_secret("password"),
)
dev = aem.get_environment_output(program_id="10001", name="dev")
pulumi.export("port_orig", rule.port_orig)
pulumi.export("infrastructure_id", net.infrastructure_id)
pulumi.export("dev_id", dev.environment_id)
"""
PASSWORD = "plugin-e2e-password-3f9a"


def project(folder: Path, program: str) -> Path:
    """A Python project that runs `program` with the plugin from this venv's bin folder."""
    folder.mkdir(parents=True)
    plugin_dir = Path(sys.executable).parent
    (folder / "Pulumi.yaml").write_text(
        "name: aem-plugin-e2e\nruntime:\n  name: python\n"
        f"plugins:\n  providers:\n    - name: aem\n      path: {plugin_dir}\n"
    )
    (folder / "__main__.py").write_text(textwrap.dedent(program))
    return folder


def stack(factory: PulumiCLIFactory, folder: Path, url: str, program: str = PROGRAM) -> PulumiCLI:
    cli = factory(project(folder, program), env={"AEM_POLL_INTERVAL": "0.05"})
    cli.stack_init("dev")
    for key, value in {
        "aem:apiUrl": url,
        "aem:imsUrl": url,
        "aem:clientId": CLIENT_ID,
        "aem:orgId": ORG_ID,
    }.items():
        cli.config_set(key, value)
    cli.config_set("aem:clientSecret", CLIENT_SECRET, secret=True)
    cli.config_set("password", PASSWORD, secret=True)
    return cli


def steps(digest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["urn"].rpartition("::")[2]: s for s in digest["steps"]}


def writes(emulator: EmulatorControl) -> list[str]:
    return [
        f"{r['method']} {r['path']}"
        for r in emulator.requests()
        if r["method"] != "GET" and "/ims/" not in r["path"]
    ]


def test_plugin__up_preview_refresh_edit_destroy(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    cli = stack(pulumi_cli_factory, tmp_path / "p", emulator.url)
    cli.up()
    outputs = cli.outputs()
    assert (outputs["port_orig"], outputs["dev_id"]) == (30465, "20001")
    cli.preview(expect_no_changes=True)
    cli.refresh(expect_no_changes=True)
    assert PASSWORD not in json.dumps(cli.export())
    cli.config_set("host", "smtp.other.example")
    cli.config_set("portOrig", "30466")
    smtp = steps(cli.preview_json())["smtp"]
    assert smtp["op"] == "replace"
    assert smtp["detailedDiff"] == {
        "host": {"kind": "update", "inputDiff": True},
        "portOrig": {"kind": "update-replace", "inputDiff": True},
    }
    cli.up()
    cli.destroy()
    assert cli.export()["deployment"].get("resources") in (None, [])


def test_plugin__preview_makes_no_cloud_manager_write(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    cli = stack(pulumi_cli_factory, tmp_path / "p", emulator.url)
    emulator.clear_requests()
    cli.preview()
    assert writes(emulator) == []


def test_plugin__import_adopts_with_no_write(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    first = stack(pulumi_cli_factory, tmp_path / "first", emulator.url)
    first.up()
    first.run("state", "delete", "--yes", "--target-dependents", _urn(first, "PortForward", "smtp"))
    second = pulumi_cli_factory(
        project(tmp_path / "second", "import pulumi\n"), env={"AEM_POLL_INTERVAL": "0.05"}
    )
    second.stack_init("adopt")
    config = first.run("config", "--json", "--show-secrets", record=False).stdout
    for key, value in json.loads(config).items():
        second.config_set(key, value["value"], secret=value["secret"])
    emulator.clear_requests()
    second.run(
        "import",
        "aem:index:PortForward",
        "smtp",
        "10001/20001/30465",
        # the project's language host has no GenerateProgram: no code to print
        "--generate-code=false",
        "--yes",
        "--non-interactive",
    )
    assert writes(emulator) == []
    resources = second.export()["deployment"]["resources"]
    rule = next(r for r in resources if r["type"] == "aem:index:PortForward")
    assert rule["inputs"]["host"] == "smtp.sendgrid.net"


def test_plugin__custom_timeout_shorter_than_the_operation(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    program = PROGRAM.replace(
        "opts=pulumi.ResourceOptions(depends_on=[env]),",
        'opts=pulumi.ResourceOptions(depends_on=[env], custom_timeouts=pulumi.CustomTimeouts(create="2s")),',
    )
    cli = stack(pulumi_cli_factory, tmp_path / "p", emulator.url, program)
    emulator.set_timings(environment_update=0)
    cli.run(
        "up",
        "--yes",
        "--non-interactive",
        "--skip-preview",
        "--target",
        _urn(cli, "AdvancedNetworking", "network"),
        "--target",
        _urn(cli, "EnvironmentAdvancedNetworking", "env"),
    )
    emulator.set_timings(environment_update=60)
    result = cli.run("up", "--yes", "--non-interactive", "--skip-preview", check=False)
    assert result.returncode != 0
    assert "PortForward 'smtp': " in result.stdout
    assert "0m2s" in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_plugin__refused_write_without_traceback(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    program = (
        PROGRAM.replace("depends_on=[net]", "depends_on=[]")
        .replace(
            'net = aem.AdvancedNetworking(\n    "network", program_id="10001", kind="flexiblePortEgress", region="va7"\n)',
            "net = None",
        )
        .replace('pulumi.export("infrastructure_id", net.infrastructure_id)', "")
    )
    cli = stack(pulumi_cli_factory, tmp_path / "p", emulator.url, program)
    result = cli.run("up", "--yes", "--non-interactive", "--skip-preview", check=False)
    assert result.returncode != 0
    assert (
        "EnvironmentAdvancedNetworking 'env': program 10001 has no ready network infrastructure"
        in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


def _urn(cli: PulumiCLI, kind: str, name: str) -> str:
    return f"urn:pulumi:dev::aem-plugin-e2e::aem:index:{kind}::{name}"
