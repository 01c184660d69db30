"""Date, machine, versions and settings of a benchmark run, for BENCHMARKS.md."""

from __future__ import annotations

import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from benchmarks.cli import REPO_ROOT


def _cpu() -> str:
    """The CPU model from /proc/cpuinfo (Linux), else what `platform` knows."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def _memory() -> str:
    """Total memory from /proc/meminfo (Linux)."""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kib = int(meminfo.read_text().split()[1])
        return f"{kib / 2**20:.0f} GiB RAM"
    return "RAM unknown"


def _commit() -> str:
    """The repository's commit, and whether the working tree had changes."""

    def git(*args: str) -> str:
        result = subprocess.run(
            ["git", *args], cwd=REPO_ROOT, capture_output=True, text=True, check=False
        )
        return result.stdout.strip() if result.returncode == 0 else ""

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    return f"{head} (with uncommitted changes)" if git("status", "--porcelain") else head


def describe(
    *,
    t: float,
    poll: float,
    startup: float | None,
    total: float,
    pulumi_version: str,
    default_parallel: int,
) -> dict[str, str]:
    """The facts printed at the top of the generated part of BENCHMARKS.md."""
    shown_startup = "not measured" if startup is None else f"{startup:.1f} s"
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.system()} {platform.release()} {platform.machine()}, {_cpu()}, "
        f"{os.cpu_count()} cores, {_memory()}",
        "versions": f"Python {platform.python_version()}, Pulumi CLI {pulumi_version}, "
        f"pulumi (Python SDK) {metadata.version('pulumi')}, "
        f"aem-pulumi {metadata.version('aem-pulumi')} at {_commit()}",
        "emulator": "`EmulatorServer` on 127.0.0.1 in the benchmark's own process; "
        "infrastructure operations instant",
        "T (every environment update: advanced networking and variables)": f"{t:g} s",
        "AEM_POLL_INTERVAL of the provider process": f"{poll:g} s",
        "commands": "`pulumi up --yes --skip-preview [--parallel N]` (the preview is measured on "
        "its own), `pulumi preview --diff [--refresh]`, `pulumi refresh --yes --skip-preview`; "
        f"`--parallel` as each row says, else the CLI's default (4 per CPU: {default_parallel} "
        "here)",
        "front ends": "dynamic (`import aem_pulumi`; Pulumi's dynamic provider host serves 4 "
        "calls at once) and plugin (`import aem_pulumi.native`; `pulumi-resource-aem` from this "
        "virtualenv, named under `plugins: providers:` in Pulumi.yaml; no cap of its own)",
        "set-up (not measured)": "emulator reset, a ready flexiblePortEgress infrastructure "
        "created through the client, advanced networking enabled through the client where the "
        "scenario has PortForward or MailService but no EnvironmentAdvancedNetworking; "
        "instant operations during set-up and `destroy`",
        "baseline": "`AEM_PULUMI_MERGE_WRITES=false` (one write per resource) for the dynamic "
        "deployments at the default `--parallel` of separate resources, lists and MailService "
        "with children; not run for the bulk sets (one resource per write anyway), the "
        "`--parallel` rows, the no-op up, previews and refresh",
        "start-up S (wall time of the no-op up: every process starts, no call)": shown_startup,
        "total run time": f"{total / 60:.1f} min",
    }
