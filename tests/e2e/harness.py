"""Drive the real Pulumi CLI against a local file backend (see docs/pulumi-cli.md)."""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
GET_PULUMI = REPO_ROOT / "scripts" / "get-pulumi.sh"
TEST_PASSPHRASE = "aem-pulumi-e2e-passphrase"


@functools.cache
def pulumi_bin_dir() -> Path:
    """Return the folder with `pulumi` and its Python plugins, building them on first use."""
    result = subprocess.run(["bash", str(GET_PULUMI)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(
            f"{GET_PULUMI} failed with exit code {result.returncode}:\n{result.stderr}"
        )
    return Path(result.stdout.strip().splitlines()[-1])


def cli_environment(
    bin_dir: Path, state_dir: Path, extra: dict[str, str] | None = None
) -> dict[str, str]:
    """Return the environment for a CLI run: local state, fixed passphrase, no caller secrets.

    The caller's AEM_* and PULUMI_* variables are dropped, so neither credentials nor another
    backend or passphrase leak in; `extra` is applied last and may set any of them.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AEM_", "PULUMI_"))}
    env.update(
        PULUMI_BACKEND_URL=state_dir.as_uri(),
        PULUMI_HOME=str(state_dir / "pulumi-home"),
        PULUMI_CONFIG_PASSPHRASE=TEST_PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_PYTHON_CMD=sys.executable,
        PATH=os.pathsep.join(filter(None, [str(bin_dir), os.environ.get("PATH")])),
    )
    env.update(extra or {})
    return env


class PulumiCLI:
    """Run `pulumi` commands in one project directory against a file backend in `state_dir`."""

    def __init__(
        self, project_dir: Path, state_dir: Path, env: dict[str, str] | None = None
    ) -> None:
        self.project_dir = project_dir
        self.state_dir = state_dir
        self.bin_dir = pulumi_bin_dir()
        state_dir.mkdir(parents=True, exist_ok=True)
        self.env = cli_environment(self.bin_dir, state_dir, env)
        self._transcript: list[str] = []

    @property
    def transcript(self) -> str:
        """Every recorded command with its stdout and stderr, for leak checks."""
        return "".join(self._transcript)

    def run(
        self,
        *args: str,
        check: bool = True,
        input: str | None = None,
        record: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run `pulumi <args>`; raise AssertionError with both streams if it fails and `check`.

        `record=False` keeps the output out of the transcript (for `--show-secrets`); `input`
        never goes into it.
        """
        command = ["pulumi", *args]
        result = subprocess.run(
            command,
            cwd=self.project_dir,
            env=self.env,
            input=input,
            capture_output=True,
            text=True,
            check=False,
        )
        shown = " ".join(command)
        if record:
            self._transcript.append(f"$ {shown}\n{result.stdout}{result.stderr}")
        else:
            self._transcript.append(f"$ {shown}\n(output not recorded)\n")
        if check and result.returncode != 0:
            raise AssertionError(
                f"`{shown}` exited with {result.returncode}\n"
                f"--- stdout ---\n{result.stdout}\n--- stderr ---\n{result.stderr}"
            )
        return result

    def stack_init(self, name: str) -> None:
        """Create stack `name` and select it."""
        self.run("stack", "init", name)

    def stack_select(self, name: str) -> None:
        """Select the existing stack `name`."""
        self.run("stack", "select", name)

    def config_set(self, key: str, value: str, secret: bool = False) -> None:
        """Set a config value; it goes through stdin, so it never appears in argv or the transcript."""
        args = ["config", "set", key, *(["--secret"] if secret else ["--plaintext"])]
        self.run(*args, input=value)

    def up(self) -> subprocess.CompletedProcess[str]:
        """Deploy the stack without prompting."""
        return self.run("up", "--yes", "--non-interactive", "--skip-preview")

    def preview(self, expect_no_changes: bool = False) -> subprocess.CompletedProcess[str]:
        """Preview; with `expect_no_changes`, fail if anything would change."""
        flags = ["--expect-no-changes"] if expect_no_changes else []
        return self.run("preview", "--non-interactive", *flags)

    def preview_json(self) -> dict[str, Any]:
        """Return the `pulumi preview --diff --json` digest (steps, changeSummary, diagnostics)."""
        result = self.run("preview", "--diff", "--json", "--non-interactive")
        return _json_object(result.stdout)

    def refresh(self, expect_no_changes: bool = False) -> subprocess.CompletedProcess[str]:
        """Refresh the state from the providers; with `expect_no_changes`, fail on any drift."""
        flags = ["--expect-no-changes"] if expect_no_changes else []
        return self.run("refresh", "--yes", "--non-interactive", "--skip-preview", *flags)

    def destroy(self) -> subprocess.CompletedProcess[str]:
        """Delete every resource of the stack without prompting."""
        return self.run("destroy", "--yes", "--non-interactive", "--skip-preview")

    def export(self) -> dict[str, Any]:
        """Return `pulumi stack export` (secrets stay encrypted)."""
        return _json_object(self.run("stack", "export").stdout)

    def outputs(self) -> dict[str, Any]:
        """Return the stack outputs with secrets in plaintext (kept out of the transcript)."""
        result = self.run("stack", "output", "--json", "--show-secrets", record=False)
        return _json_object(result.stdout)


def failed_run(cli: PulumiCLI, *args: str) -> str:
    """Run a command that must fail; answers its output (stdout and stderr)."""
    result = cli.run(*args, check=False)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"`pulumi {' '.join(args)}` succeeded:\n{output}"
    return output


def state_of(cli: PulumiCLI) -> tuple[set[str], list[dict[str, Any]]]:
    """The names of the stack's custom resources, and its pending operations."""
    deployment = cli.export()["deployment"]
    names = {
        r["urn"].rsplit("::", 1)[1]
        for r in deployment.get("resources") or []
        if r.get("custom") and not r["type"].startswith("pulumi:providers:")
    }
    return names, list(deployment.get("pending_operations") or [])


def _json_object(text: str) -> dict[str, Any]:
    value = json.loads(text)
    if not isinstance(value, dict):
        raise AssertionError(f"expected a JSON object from pulumi, got: {text[:200]}")
    return value


PulumiCLIFactory = Callable[..., PulumiCLI]
"""The `pulumi_cli_factory` fixture: `(project_dir, env=None, state_dir=None) -> PulumiCLI`."""
