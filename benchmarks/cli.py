"""A small runner of the real Pulumi CLI: a file backend, a fixed passphrase, timed commands."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
GET_PULUMI = REPO_ROOT / "scripts" / "get-pulumi.sh"
PASSPHRASE = "aem-pulumi-bench"  # protects throw-away stacks of the emulator only
COMMAND_TIMEOUT = 600.0  # seconds; the slowest command (the 50-resource baseline) takes ~3 min


@dataclass(frozen=True)
class Result:
    """One finished `pulumi` command: exit code, output, wall-clock seconds."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    seconds: float

    @property
    def ok(self) -> bool:
        """Whether the command exited 0."""
        return self.returncode == 0

    def tail(self, lines: int = 15) -> str:
        """The last lines of both streams, to explain a failure."""
        text = (self.stdout + self.stderr).strip().splitlines()
        return "\n".join(text[-lines:])


def pulumi_bin_dir() -> Path:
    """The folder with `pulumi` and its Python plugins (scripts/get-pulumi.sh builds it once)."""
    result = subprocess.run(["bash", str(GET_PULUMI)], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{GET_PULUMI} failed ({result.returncode}):\n{result.stderr}")
    return Path(result.stdout.strip().splitlines()[-1])


def pulumi_version(bin_dir: Path) -> str:
    """`pulumi version` of the CLI in `bin_dir`."""
    result = subprocess.run(
        [str(bin_dir / "pulumi"), "version"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or f"unknown (pulumi version exited {result.returncode})"


def environment(
    bin_dir: Path, state_dir: Path, home: Path, extra: Mapping[str, str]
) -> dict[str, str]:
    """The CLI's environment: the caller's AEM_*/PULUMI_* dropped, a local backend, `extra` last."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AEM_", "PULUMI_"))}
    env.update(
        PULUMI_BACKEND_URL=state_dir.as_uri(),
        PULUMI_HOME=str(home),
        PULUMI_CONFIG_PASSPHRASE=PASSPHRASE,
        PULUMI_SKIP_UPDATE_CHECK="true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION="true",
        PULUMI_PYTHON_CMD=sys.executable,
        PATH=os.pathsep.join(filter(None, [str(bin_dir), os.environ.get("PATH")])),
    )
    env.update(extra)
    return env


def _text(output: str | bytes | None) -> str:
    """Partial output of a killed command (bytes or None when nothing was read)."""
    if isinstance(output, bytes):
        return output.decode(errors="replace")
    return output or ""


class PulumiCLI:
    """Runs `pulumi` in one project directory with a fixed environment, timing each command."""

    def __init__(self, project_dir: Path, env: Mapping[str, str]) -> None:
        self.project_dir = project_dir
        self.env = dict(env)

    def run(self, *args: str) -> Result:
        """Run `pulumi <args>` and time it (the wall clock includes every process start-up)."""
        started = time.monotonic()
        try:
            completed = subprocess.run(
                ["pulumi", *args],
                cwd=self.project_dir,
                env=self.env,
                capture_output=True,
                text=True,
                check=False,
                timeout=COMMAND_TIMEOUT,
            )
        except subprocess.TimeoutExpired as exc:
            out, err = (_text(s) for s in (exc.stdout, exc.stderr))
            err += f"\n(killed after {COMMAND_TIMEOUT:.0f} s)"
            return Result(args, -1, out, err, time.monotonic() - started)
        seconds = time.monotonic() - started
        return Result(args, completed.returncode, completed.stdout, completed.stderr, seconds)

    def must(self, *args: str) -> Result:
        """Run `pulumi <args>`; raise with the output's tail when it fails."""
        result = self.run(*args)
        if not result.ok:
            raise RuntimeError(
                f"`pulumi {' '.join(args)}` exited {result.returncode}:\n{result.tail()}"
            )
        return result

    def up(self, parallel: int | None = None) -> Result:
        """`pulumi up` without its preview (the preview makes no API call; measured on its own),
        with `--parallel` when given (else the CLI's default)."""
        flags = () if parallel is None else ("--parallel", str(parallel))
        return self.run("up", "--yes", "--non-interactive", "--skip-preview", *flags)

    def preview(self) -> Result:
        """`pulumi preview --diff`, as the pull-request workflow runs it."""
        return self.run("preview", "--diff", "--non-interactive")

    def preview_refresh(self) -> Result:
        """`pulumi preview --diff --refresh`: reads what exists before diffing."""
        return self.run("preview", "--diff", "--refresh", "--non-interactive")

    def refresh(self) -> Result:
        """`pulumi refresh` without its preview."""
        return self.run("refresh", "--yes", "--non-interactive", "--skip-preview")

    def destroy(self) -> Result:
        """`pulumi destroy` without its preview."""
        return self.run("destroy", "--yes", "--non-interactive", "--skip-preview")
