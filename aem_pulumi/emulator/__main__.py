"""`aem-cloudmanager-emulator` / `python -m aem_pulumi.emulator`: serve until interrupted."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from collections.abc import Sequence
from typing import Any

from aem_pulumi.emulator.server import BUSY_STATUSES, EmulatorServer
from aem_pulumi.emulator.timings import Timings

DEFAULT_PORT = 8765


def _parser() -> argparse.ArgumentParser:
    """The command line: address, state file, busy status, token lifetime and timings."""
    parser = argparse.ArgumentParser(
        prog="aem-cloudmanager-emulator",
        description="Local emulator of the Cloud Manager API subset and IMS.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help="port (0 picks a free one)")
    parser.add_argument("--state", help="SQLite file keeping the state across restarts")
    parser.add_argument(
        "--busy-status",
        type=int,
        choices=BUSY_STATUSES,
        default=409,
        help="status answered to a write on a busy environment",
    )
    parser.add_argument(
        "--token-ttl", type=float, default=86399, metavar="SECONDS", help="token lifetime"
    )
    for name, field in Timings.model_fields.items():
        flag = f"--{name.replace('_', '-')}-seconds"
        parser.add_argument(
            flag,
            type=float,
            dest=name,
            default=field.default,
            metavar="SECONDS",
            help=f"{field.description} (default: %(default)s)",
        )
    return parser


def _timings(arguments: argparse.Namespace) -> Timings:
    """The timings given on the command line."""
    values: dict[str, Any] = {name: getattr(arguments, name) for name in Timings.model_fields}
    return Timings.model_validate(values)


_STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


def _block_stop_signals() -> None:
    """Block SIGINT and SIGTERM; threads started afterwards inherit this, so only sigwait sees them."""
    signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the emulator until interrupted; print `listening on URL` once bound."""
    arguments = _parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    _block_stop_signals()
    server = EmulatorServer(
        host=arguments.host,
        port=arguments.port,
        state=arguments.state,
        timings=_timings(arguments),
        busy_status=arguments.busy_status,
        token_ttl=arguments.token_ttl,
    ).start()
    sys.stdout.write(f"listening on {server.url}\n")
    sys.stdout.flush()
    try:
        signal.sigwait(_STOP_SIGNALS)
    finally:
        server.stop()


if __name__ == "__main__":
    main()
