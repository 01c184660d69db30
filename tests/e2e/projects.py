"""The example projects, copied into a test's folder and pointed at the test emulator.

The repository's projects are never run in place: each test copies them (the repo root's
`Pulumi.yaml` with its stack files and `examples/`, and `examples/network`) so neither a stack
selection nor a config edit can touch the checked-in files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from .harness import REPO_ROOT, PulumiCLI, PulumiCLIFactory

DEMO_PASSPHRASE = "aem-pulumi-demo"
"""The passphrase the committed stack files' secrets are encrypted with (scripts/demo.sh)."""
CLIENT_SECRET = "aem-emulator-secret"
"""The emulator's published client secret; it reaches the providers only through the env."""

NETWORK_STACK = "wknd"
PROGRAM_ID = "10001"
ENVIRONMENTS = {"dev": "20001", "stage": "20002", "prod": "20003"}
"""Environment stack -> the environment id its committed stack file names."""
PASSWORDS = {"dev": "demo-dev-password", "stage": "demo-stage-password"}
"""The emailPassword secrets of the committed stack files (decrypted with DEMO_PASSPHRASE)."""


def cli_env(poll_interval: float = 0.1) -> dict[str, str]:
    """The variables every example run needs: passphrase, client secret, a short poll interval."""
    return {
        "PULUMI_CONFIG_PASSPHRASE": DEMO_PASSPHRASE,
        "AEM_CLIENT_SECRET": CLIENT_SECRET,
        "AEM_POLL_INTERVAL": str(poll_interval),
    }


def copy_network_project(dest: Path) -> Path:
    """Copy examples/network (program stack) to `dest`; answers `dest`."""
    shutil.copytree(REPO_ROOT / "examples" / "network", dest, ignore=_ignored)
    return dest


def copy_mail_project(dest: Path) -> Path:
    """Copy the environment-stack project (root Pulumi.yaml, stack files, examples/) to `dest`."""
    dest.mkdir(parents=True)
    for stack_file in REPO_ROOT.glob("Pulumi*.yaml"):
        shutil.copy2(stack_file, dest / stack_file.name)
    shutil.copytree(REPO_ROOT / "examples", dest / "examples", ignore=_ignored)
    return dest


def point_at_emulator(cli: PulumiCLI, url: str) -> None:
    """Set the selected stack's `aem:apiUrl` and `aem:imsUrl` to the test emulator."""
    cli.config_set("aem:apiUrl", url)
    cli.config_set("aem:imsUrl", url)


def network_stack(
    factory: PulumiCLIFactory, workdir: Path, url: str, poll_interval: float = 0.1
) -> PulumiCLI:
    """A CLI on a copy of the network project, its `wknd` stack created and pointed at `url`."""
    cli = factory(copy_network_project(workdir / "network"), env=cli_env(poll_interval))
    cli.stack_init(NETWORK_STACK)
    point_at_emulator(cli, url)
    return cli


def mail_stack(factory: PulumiCLIFactory, workdir: Path, url: str, stack: str) -> PulumiCLI:
    """A CLI on its own copy of the mail project, stack `stack` created and pointed at `url`.

    One copy per stack, so each folder keeps its own selected stack and two stacks can be driven
    side by side without `pulumi stack select` in between.
    """
    cli = factory(copy_mail_project(workdir / f"mail-{stack}"), env=cli_env())
    cli.stack_init(stack)
    point_at_emulator(cli, url)
    return cli


def _ignored(_folder: str, names: list[str]) -> list[str]:
    return [n for n in names if n == "__pycache__"]
