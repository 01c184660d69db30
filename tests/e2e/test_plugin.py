"""The provider plugin with the real Pulumi CLI against the emulator (aem_pulumi.native).

The projects name the plugin through `plugins: providers:` in Pulumi.yaml, except the one test
of the other way, `pulumi-resource-aem` on PATH; the program is written per test.
"""

from __future__ import annotations

import json
import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.server import EmulatorServer
from aem_pulumi.emulator.timings import Timings

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
PLUGIN_DIR = Path(sys.executable).parent
"""This venv's bin folder, where `pip install` put `pulumi-resource-aem`."""


def project(folder: Path, program: str, *, plugin_in_yaml: bool = True) -> Path:
    """A Python project that runs `program` with the plugin from this venv's bin folder, named
    in Pulumi.yaml (else the engine must find it on PATH)."""
    folder.mkdir(parents=True)
    plugins = f"plugins:\n  providers:\n    - name: aem\n      path: {PLUGIN_DIR}\n"
    (folder / "Pulumi.yaml").write_text(
        "name: aem-plugin-e2e\nruntime:\n  name: python\n" + (plugins if plugin_in_yaml else "")
    )
    (folder / "__main__.py").write_text(textwrap.dedent(program))
    return folder


def stack(
    factory: PulumiCLIFactory,
    folder: Path,
    url: str,
    program: str = PROGRAM,
    env: dict[str, str] | None = None,
    *,
    plugin_in_yaml: bool = True,
) -> PulumiCLI:
    """Stack `dev` of a new project running `program`, its default provider set to `url`."""
    folder = project(folder, program, plugin_in_yaml=plugin_in_yaml)
    cli = factory(folder, env={"AEM_POLL_INTERVAL": "0.05", **(env or {})})
    cli.stack_init("dev")
    configure(cli, url)
    cli.config_set("password", PASSWORD, secret=True)
    return cli


def configure(cli: PulumiCLI, url: str) -> None:
    """The default provider's `aem:*` configuration for the emulator at `url`."""
    for key, value in {
        "aem:apiUrl": url,
        "aem:imsUrl": url,
        "aem:clientId": CLIENT_ID,
        "aem:orgId": ORG_ID,
    }.items():
        cli.config_set(key, value)
    cli.config_set("aem:clientSecret", CLIENT_SECRET, secret=True)


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
    configure(second, emulator.url)
    emulator.clear_requests()
    second.run(
        "import",
        "aem:index:PortForward",
        "smtp",
        "10001/20001/30465",
        "--out",
        "imported.py",
        "--yes",
        "--non-interactive",
    )
    assert writes(emulator) == []
    resources = second.export()["deployment"]["resources"]
    rule = next(r for r in resources if r["type"] == "aem:index:PortForward")
    assert rule["inputs"]["host"] == "smtp.sendgrid.net"
    # The code `pulumi import` wrote (our language host's GenerateProgram) runs on the native
    # classes once its import names them, and declares exactly what was imported.
    code = (second.project_dir / "imported.py").read_text()
    assert "import aem_pulumi_sdk as aem\n" in code
    (second.project_dir / "__main__.py").write_text(
        code.replace("import aem_pulumi_sdk as aem", "import aem_pulumi.native as aem")
    )
    second.preview(expect_no_changes=True)
    assert writes(emulator) == []


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


TWO_PROVIDERS = """
import pulumi
import aem_pulumi.native as aem

config = pulumi.Config()


def provider(name):
    url = config.require(f"{name}Url")
    return aem.Provider(
        name, api_url=url, ims_url=url, client_id=config.require(f"{name}ClientId"),
        client_secret=config.require_secret(f"{name}Secret"), org_id=config.require(f"{name}Org"),
    )


wknd, other = provider("wknd"), provider("other")
aem.EnvironmentVariable(
    "wknd-region", program_id="10001", environment_id="20001", name="REGION", value="wknd",
    opts=pulumi.ResourceOptions(provider=wknd),
)
aem.EnvironmentSecret(
    "other-password", program_id="10002", environment_id="20010", name="EMAIL_PASSWORD",
    value=config.require_secret("password"), opts=pulumi.ResourceOptions(provider=other),
)
dev = aem.get_environment_output(
    program_id="10002", name="dev", opts=pulumi.InvokeOutputOptions(provider=other)
)
pulumi.export("other_dev_id", dev.environment_id)
"""


def test_plugin__explicit_providers_for_two_programs(
    pulumi_cli_factory: PulumiCLIFactory, emulator: EmulatorControl, tmp_path: Path
) -> None:
    with EmulatorServer(timings=Timings.zero()) as other_server:
        other = EmulatorControl(other_server.url)
        other.add_program(id="10002", name="other")
        other.add_environment("10002", id="20010", name="dev")
        folder = project(tmp_path / "p", TWO_PROVIDERS)
        cli = pulumi_cli_factory(folder, env={"AEM_POLL_INTERVAL": "0.05"})
        cli.stack_init("dev")  # no aem:* key: only the explicit providers can reach an emulator
        for name, url in (("wknd", emulator.url), ("other", other.url)):
            cli.config_set(f"{name}Url", url)
            cli.config_set(f"{name}ClientId", CLIENT_ID)
            cli.config_set(f"{name}Org", ORG_ID)
            cli.config_set(f"{name}Secret", CLIENT_SECRET, secret=True)
        cli.config_set("password", PASSWORD, secret=True)
        emulator.clear_requests()
        other.clear_requests()

        cli.up()

        assert writes(emulator) == ["PATCH /api/program/10001/environment/20001/variables"]
        assert writes(other) == ["PATCH /api/program/10002/environment/20010/variables"]
        assert cli.outputs()["other_dev_id"] == "20010"
        state = cli.export()
        providers = [
            r for r in state["deployment"]["resources"] if r["type"] == "pulumi:providers:aem"
        ]
        assert sorted(p["urn"].rpartition("::")[2] for p in providers) == ["other", "wknd"]
        assert CLIENT_SECRET not in json.dumps(state)
        assert PASSWORD not in json.dumps(state)
        cli.preview(expect_no_changes=True)
        cli.refresh(expect_no_changes=True)
        cli.destroy()
        assert writes(other)[-1] == "PATCH /api/program/10002/environment/20010/variables"
        assert len(writes(other)) == 2


def test_plugin__found_on_path(
    pulumi_cli_factory: PulumiCLIFactory,
    emulator: EmulatorControl,
    tmp_path: Path,
    pulumi_bin: Path,
) -> None:
    program = """
    import pulumi
    import aem_pulumi.native as aem

    aem.EnvironmentVariable(
        "region", program_id="10001", environment_id="20001", name="REGION", value="va7"
    )
    """
    path = os.pathsep.join([str(pulumi_bin), str(PLUGIN_DIR), os.environ.get("PATH", "")])
    cli = stack(
        pulumi_cli_factory,
        tmp_path / "p",
        emulator.url,
        program,
        {"PATH": path},
        plugin_in_yaml=False,
    )
    result = cli.up()
    plugin = PLUGIN_DIR / "pulumi-resource-aem"
    assert f"using pulumi-resource-aem from $PATH at {plugin}" in result.stdout + result.stderr
    assert writes(emulator) == ["PATCH /api/program/10001/environment/20001/variables"]
    cli.destroy()
