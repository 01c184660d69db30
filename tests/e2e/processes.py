"""Processes the end-to-end tests start, watch and kill: a background `pulumi up`, the emulator.

A case that breaks something while `pulumi up` runs starts it with `BackgroundUp`, waits for
the call it wants to interrupt with `wait_for_request`, then kills the CLI (`kill_tree`, which
takes the plugins it started along) or the emulator (`EmulatorProcess`, restartable on the same
port from its state file).
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from aem_pulumi.emulator.control_client import EmulatorControl
from aem_pulumi.emulator.timings import Timings

from .harness import PulumiCLI

UP = ("up", "--yes", "--non-interactive", "--skip-preview")
POLL = 0.05
"""Seconds between looks at the emulator's request log while a background `up` runs."""
HAS_PROC = Path("/proc/self/stat").exists()
"""Whether /proc can be read, which `kill_tree` needs to find the CLI's plugin processes."""


class BackgroundUp:
    """`pulumi up` in the background, so a case can break something while it runs."""

    def __init__(self, cli: PulumiCLI, output: Path) -> None:
        self.output = output
        self._file = output.open("w")
        self.process = subprocess.Popen(
            ["pulumi", *UP],
            cwd=cli.project_dir,
            env=cli.env,
            stdout=self._file,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def running(self) -> bool:
        """Whether the run has not ended yet."""
        return self.process.poll() is None

    def wait(self, timeout: float = 180) -> tuple[int, str]:
        """The exit code and the output, once the run ends."""
        code = self.process.wait(timeout=timeout)
        self._file.close()
        return code, self.output.read_text()

    def kill(self) -> None:
        """SIGKILL the CLI and every process it started (plugins run in process groups of their own)."""
        kill_tree(self.process.pid)
        self.process.wait(timeout=30)
        self._file.close()


def kill_tree(root: int) -> None:
    """Stop `root` and its descendants (so none can start another), then SIGKILL them all."""
    stopped: list[int] = []
    for _ in range(5):  # a process may have been starting a child: look again until stable
        found = [pid for pid in [root, *_descendants(root)] if pid not in stopped]
        if not found:
            break
        for pid in found:
            _signal(pid, signal.SIGSTOP)
        stopped += found
    for pid in stopped:
        _signal(pid, signal.SIGKILL)


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # the process ended meanwhile
        children.setdefault(ppid, []).append(int(stat.parent.name))
    found, queue = [], [root]
    while queue:
        for child in children.get(queue.pop(), []):
            found.append(child)
            queue.append(child)
    return found


def _signal(pid: int, signum: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
        os.kill(pid, signum)


def wait_for_request(
    control: EmulatorControl, method: str, path: str, background: BackgroundUp, nth: int = 1
) -> None:
    """Wait (at most 60 s) until the emulator received the `nth` `method` on a path matching `path`."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and background.running():
        seen = [
            r for r in control.requests() if r["method"] == method and re.search(path, r["path"])
        ]
        if len(seen) >= nth:
            return
        time.sleep(POLL)
    raise AssertionError(
        f"`pulumi up` never sent {method} {path} (running: {background.running()})"
    )


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class EmulatorProcess:
    """`python -m aem_pulumi.emulator` on a fixed port with a state file: it can be SIGKILLed."""

    def __init__(self, port: int, state: Path, timings: Timings, log: Path) -> None:
        self.port, self.state, self.timings, self.log = port, state, timings, log
        self.url = f"http://127.0.0.1:{port}"
        self.process: subprocess.Popen[str] | None = None

    def start(self) -> EmulatorProcess:
        """Start it and wait until it listens (it prints its URL once bound)."""
        flags = [
            arg
            for name, seconds in self.timings.model_dump().items()
            for arg in (f"--{name.replace('_', '-')}-seconds", str(seconds))
        ]
        command = [sys.executable, "-m", "aem_pulumi.emulator", "--host", "127.0.0.1"]
        command += ["--port", str(self.port), "--state", str(self.state), *flags]
        with self.log.open("a") as log:
            self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, text=True)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()  # printed once bound; "" if it exited
        assert line.strip() == f"listening on {self.url}", f"emulator did not start: {line!r}"
        return self

    def kill(self) -> None:
        """SIGKILL: no clean-up, no flush; the state file is all that survives."""
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=30)

    def stop(self) -> None:
        """Terminate it (SIGKILL when it does not end within 15 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=15)
