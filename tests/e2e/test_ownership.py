"""One owner per remote object, with the real CLI (issue 10): renames and moves keep the live
object, two claims fail loudly, nothing is taken over silently, deletes remove only their own.

Every case checks Cloud Manager itself (the emulator's objects and request log), not only what
Pulumi reports.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.client.settings import ClientSettings
from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID
from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.models.advanced_networking import NetworkInfrastructure
from aem_pulumi.models.environment_advanced_networking import AdvancedNetworkingUpdate, PortForward
from aem_pulumi.models.variables import VariableUpdate

from . import reliability_programs as programs
from .harness import PulumiCLI, PulumiCLIFactory
from .reliability_programs import DEV, PROGRAM_ID, Spec

pytestmark = pytest.mark.e2e

HOST, PORT_DEST, PORT_ORIG = "smtp.example.com", 465, 30465
SECRET_VALUE = "ownership-secret-value-1"
WRITES = ("PUT", "PATCH", "POST", "DELETE")


@pytest.fixture
def api(credentials: dict[str, str]) -> CloudManagerClient:
    return CloudManagerClient(ClientSettings.resolve(credentials))


@pytest.fixture
def infrastructure(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    """A ready network infrastructure, made outside Pulumi; advanced networking not enabled."""
    api.create_network_infrastructure(
        PROGRAM_ID, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    emulator.clear_requests()


@pytest.fixture
def enabled(emulator: EmulatorControl, api: CloudManagerClient) -> None:
    """A ready infrastructure and advanced networking on dev, made outside Pulumi."""
    api.create_network_infrastructure(
        PROGRAM_ID, NetworkInfrastructure(kind="flexiblePortEgress", region="va7")
    )
    api.put_advanced_networking(PROGRAM_ID, DEV, AdvancedNetworkingUpdate())
    emulator.clear_requests()


def stack(
    factory: PulumiCLIFactory, workdir: Path, url: str, spec: Spec, name: str = "own"
) -> PulumiCLI:
    """A stack of the generated project, pointed at the emulator, with `spec`'s resources."""
    project = programs.write_project(workdir / f"project-{name}", spec)
    env = {"AEM_CLIENT_SECRET": CLIENT_SECRET, "AEM_POLL_INTERVAL": "0.05"}
    cli = factory(project, env=env, state_dir=workdir / "state")
    cli.stack_init(name)
    for key, value in {
        "apiUrl": url,
        "imsUrl": url,
        "clientId": CLIENT_ID,
        "orgId": ORG_ID,
    }.items():
        cli.config_set(f"aem:{key}", value)
    give(cli, spec)
    return cli


def give(cli: PulumiCLI, spec: Spec) -> None:
    """The program declares `spec` from now on."""
    spec.write(cli.project_dir)
    cli.config_set("secretValues", json.dumps(spec.secrets), secret=True)


def forward(spec: Spec, name: str, **options: Any) -> None:
    spec.add(
        "PortForward",
        name,
        program_id=PROGRAM_ID,
        environment_id=DEV,
        host=HOST,
        port_dest=PORT_DEST,
        **options,
    )


def secret(spec: Spec, name: str, variable: str = "MAIL_PASSWORD", **options: Any) -> None:
    spec.add(
        "EnvironmentSecret",
        name,
        program_id=PROGRAM_ID,
        environment_id=DEV,
        name=variable,
        value=spec.secret("password", SECRET_VALUE),
        **options,
    )


def rules(api: CloudManagerClient) -> set[tuple[str | None, int, int]]:
    configs = api.get_advanced_networking(PROGRAM_ID, DEV)
    return {(r.name, r.port_dest, r.port_orig) for c in configs for r in c.port_forwards}


def variables(api: CloudManagerClient) -> dict[str, str]:
    """name -> type of the environment's live variables."""
    found = api.list_variables(PROGRAM_ID, DEV)
    return {v.name: v.type for v in found if v.status != "deleted"}


def writes(emulator: EmulatorControl) -> list[str]:
    """The API writes the emulator received (token requests aside)."""
    return [
        f"{r['method']} {r['path']}"
        for r in emulator.requests()
        if r["method"] in WRITES and r["path"].startswith("/api/")
    ]


def resources(cli: PulumiCLI) -> set[str]:
    """The names of the stack's aem resources."""
    deployment = cli.export()["deployment"]
    return {
        r["urn"].rsplit("::", 1)[1]
        for r in deployment.get("resources") or []
        if "aem:" in r["type"] and r.get("custom")
    }


def failed(cli: PulumiCLI, *args: str) -> str:
    result = cli.run(*args, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    return output


# --- 1. renames and moves keep the live object ---------------------------------------------------


def test_rename__without_aliases_keeps_the_objects(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    secret(spec, "password")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)
    cli.up()

    renamed = Spec()
    forward(renamed, "mail-smtp")
    secret(renamed, "mail-password")
    give(cli, renamed)
    cli.up()

    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}
    assert variables(api) == {"MAIL_PASSWORD": "secretString"}
    assert resources(cli) == {"mail-smtp", "mail-password"}
    cli.refresh(expect_no_changes=True)


def test_rename__with_aliases_is_a_no_op(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    secret(spec, "password")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)
    cli.up()
    emulator.clear_requests()

    renamed = Spec()
    forward(renamed, "mail-smtp", aliases=["smtp"])
    secret(renamed, "mail-password", aliases=["password"])
    give(cli, renamed)
    cli.up()

    assert writes(emulator) == []
    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}
    assert resources(cli) == {"mail-smtp", "mail-password"}
    cli.refresh(expect_no_changes=True)


def _mail_service(spec: Spec) -> None:
    spec.add(
        "MailService",
        "mail",
        program_id=PROGRAM_ID,
        environment_id=DEV,
        smtp_host=HOST,
        from_address="noreply@wknd.site",
        username="apikey",
        password=spec.secret("password", SECRET_VALUE),
        app_name="wknd",
    )


def _loose_mail(spec: Spec) -> None:
    """What a MailService "mail" holds, as separate resources with the children's names."""
    forward(spec, "mail-smtp")
    spec.add(
        "EnvironmentVariable",
        "mail-username",
        program_id=PROGRAM_ID,
        environment_id=DEV,
        name="EMAIL_USERNAME",
        value="apikey",
    )
    secret(spec, "mail-password", variable="EMAIL_PASSWORD")


@pytest.mark.parametrize("into", [True, False], ids=["into", "out_of"])
def test_move__into_and_out_of_mail_service(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
    into: bool,
) -> None:
    before, after = Spec(), Spec()
    (_loose_mail if into else _mail_service)(before)
    (_mail_service if into else _loose_mail)(after)
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, before)
    cli.up()

    give(cli, after)
    cli.up()

    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}
    assert variables(api) == {"EMAIL_USERNAME": "string", "EMAIL_PASSWORD": "secretString"}
    assert resources(cli) == {"mail-smtp", "mail-username", "mail-password"}
    cli.refresh(expect_no_changes=True)


def _listed_rule(spec: Spec) -> None:
    spec.add(
        "EnvironmentAdvancedNetworking",
        "networking",
        program_id=PROGRAM_ID,
        environment_id=DEV,
        port_forwards=[{"host": HOST, "port_dest": PORT_DEST, "port_orig": PORT_ORIG}],
    )


def _separate_rule(spec: Spec) -> None:
    spec.add(
        "EnvironmentAdvancedNetworking",
        "networking",
        program_id=PROGRAM_ID,
        environment_id=DEV,
    )
    forward(spec, "smtp", depends_on=["networking"])


@pytest.mark.parametrize("to_list", [True, False], ids=["into_list", "out_of_list"])
def test_move__between_port_forward_and_rule_list(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    infrastructure: None,
    to_list: bool,
) -> None:
    before, after = Spec(), Spec()
    (_separate_rule if to_list else _listed_rule)(before)
    (_listed_rule if to_list else _separate_rule)(after)
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, before)
    cli.up()

    give(cli, after)
    cli.up()

    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}
    assert resources(cli) == ({"networking"} if to_list else {"networking", "smtp"})
    cli.refresh(expect_no_changes=True)


# --- 2. two claims fail loudly ---------------------------------------------------------------------


def test_two_claims__same_variable_fails_at_preview(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    spec = Spec()
    secret(spec, "password")
    secret(spec, "password-again")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)

    output = failed(cli, "preview")

    assert "both declare variable MAIL_PASSWORD (all services) of environment 20001" in output
    assert "EnvironmentSecret 'password'" in output
    assert "EnvironmentSecret 'password-again'" in output
    assert writes(emulator) == []
    assert variables(api) == {}


def test_two_claims__same_port_orig_fails_before_any_write(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    spec.add(
        "PortForward",
        "other-smtp",
        program_id=PROGRAM_ID,
        environment_id=DEV,
        host="other.example.com",
        port_dest=465,
    )
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)

    output = failed(cli, "up", "--yes")

    assert "both declare port forward 30465 of environment 20001" in output
    assert writes(emulator) == []
    assert rules(api) == set()


def test_two_stacks__second_claim_fails_and_leaves_the_first(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    first = stack(pulumi_cli_factory, tmp_path, emulator.url, spec, name="first")
    first.up()
    emulator.clear_requests()
    other = Spec()
    other.add(
        "PortForward",
        "smtp",
        program_id=PROGRAM_ID,
        environment_id=DEV,
        host="other.example.com",
        port_dest=465,
    )
    second = stack(pulumi_cli_factory, tmp_path, emulator.url, other, name="second")

    output = failed(second, "up", "--yes")

    assert "port forward 30465 of environment 20001 already exists" in output
    assert "set adopt=True to take it over" in output
    assert writes(emulator) == []
    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}


# --- 3. nothing is taken over silently --------------------------------------------------------------


def test_pre_existing__variable_without_adopt_fails(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
) -> None:
    api.patch_variables(
        PROGRAM_ID, DEV, [VariableUpdate(name="MAIL_PASSWORD", value="by-aio", type="secretString")]
    )
    emulator.clear_requests()
    spec = Spec()
    secret(spec, "password")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)

    output = failed(cli, "up", "--yes")

    assert (
        "variable MAIL_PASSWORD (all services) already exists in environment 20001 and this "
        "stack did not create it; set adopt=True to take it over"
    ) in output
    assert writes(emulator) == []


def test_pre_existing__adopt_takes_it_over(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    api.put_advanced_networking(
        PROGRAM_ID,
        DEV,
        AdvancedNetworkingUpdate(
            port_forwards=[
                PortForward(name="old.example.com", port_dest=PORT_DEST, port_orig=PORT_ORIG)
            ]
        ),
    )
    spec = Spec()
    forward(spec, "smtp", adopt=True)
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)

    cli.up()

    assert rules(api) == {(HOST, PORT_DEST, PORT_ORIG)}
    cli.refresh(expect_no_changes=True)


# --- 4. deletes remove only what is theirs -----------------------------------------------------------


def test_delete__rule_changed_outside_is_left_alone(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)
    cli.up()
    repointed = PortForward(name="elsewhere.example.com", port_dest=587, port_orig=PORT_ORIG)
    api.put_advanced_networking(
        PROGRAM_ID, DEV, AdvancedNetworkingUpdate(port_forwards=[repointed])
    )

    result = cli.destroy()

    assert "changed outside Pulumi" in result.stdout + result.stderr
    assert rules(api) == {("elsewhere.example.com", 587, PORT_ORIG)}
    assert resources(cli) == set()


def test_delete__forced_removes_a_rule_changed_outside(
    pulumi_cli_factory: PulumiCLIFactory,
    tmp_path: Path,
    emulator: EmulatorControl,
    api: CloudManagerClient,
    enabled: None,
) -> None:
    spec = Spec()
    forward(spec, "smtp")
    cli = stack(pulumi_cli_factory, tmp_path, emulator.url, spec)
    cli.up()
    repointed = PortForward(name="elsewhere.example.com", port_dest=587, port_orig=PORT_ORIG)
    api.put_advanced_networking(
        PROGRAM_ID, DEV, AdvancedNetworkingUpdate(port_forwards=[repointed])
    )
    cli.env["AEM_FORCE_DELETE"] = "true"

    cli.destroy()

    assert rules(api) == set()
