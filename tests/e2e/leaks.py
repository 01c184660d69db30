"""The leak check: what a run printed or stored must hold no secret value and no token.

An `Exposure` collects what one case (or one shared stack) exposed: the CLIs it drove (their
transcripts, state folders and stack files), texts such as emulator request logs and background
outputs, the secret values it used, and the emulator state files where the digests of the tokens
issued can be read back. `find_leaks` searches all of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET

from .harness import PulumiCLI

TOKEN_RUN = re.compile(r"[A-Za-z0-9_-]{43,}")
TOKEN_LENGTH = 43  # secrets.token_urlsafe(32), aem_pulumi/emulator/auth.py


@dataclass
class Exposure:
    """Everything a case printed or stored, the secrets it used, and its figures."""

    clis: list[PulumiCLI] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)
    secret_values: set[str] = field(default_factory=lambda: {CLIENT_SECRET})
    token_stores: list[Path] = field(default_factory=list)
    faults: dict[str, int] = field(default_factory=dict)
    bad_inputs: int = 0
    kills: int = 0

    def keep(self, label: str, text: str) -> None:
        """Keep a text for the leak check, under a label that says where it came from."""
        self.texts[f"{label} #{len(self.texts)}"] = text

    def log(self, entries: list[dict[str, Any]]) -> None:
        """Keep an emulator request log; count the faults it shows by kind."""
        self.keep("emulator request log", json.dumps(entries))
        for entry in entries:
            if entry["fault"]:
                self.faults[entry["fault"]] = self.faults.get(entry["fault"], 0) + 1


@dataclass
class Leaks:
    """What the search found (empty when nothing leaked) and how much it searched."""

    secret_values: dict[str, list[str]]
    """The start of each leaked secret value -> the labels of the texts holding it."""
    tokens: dict[str, set[str]]
    """Label of a text -> the issued tokens in it."""
    figures: str


def find_leaks(exposure: Exposure, emulator_url: str) -> Leaks:
    """Search everything `exposure` holds for its secret values and for issued tokens.

    `emulator_url` is an emulator writing to one of the token stores: a token issued there is
    planted in a text first, to prove the search finds a live token.
    """
    texts = _exposed_texts(exposure)
    assert [label for label in texts if "/.pulumi/stacks/" in label]  # the checkpoints are in
    planted = _fresh_token(emulator_url)
    digests = issued_token_digests(exposure.token_stores)
    assert tokens_in([f"Authorization: Bearer {planted}"], digests) == {planted}
    leaked = {
        value[:12] + "…": [label for label, text in texts.items() if value in text]
        for value in exposure.secret_values
        if any(value in text for text in texts.values())
    }
    tokens = {
        label: found for label, text in texts.items() if (found := tokens_in([text], digests))
    }
    figures = (
        f"faults injected and survived: {sum(exposure.faults.values())} {exposure.faults} + "
        f"{exposure.kills} processes killed; bad inputs tried: {exposure.bad_inputs}; searched "
        f"{len(texts)} texts ({sum(map(len, texts.values()))} characters) for "
        f"{len(exposure.secret_values)} secret values and {len(digests)} issued tokens: "
        f"{len(leaked)} secret values and {len(tokens)} tokens leaked"
    )
    return Leaks(leaked, tokens, figures)


def _exposed_texts(exposure: Exposure) -> dict[str, str]:
    """The kept texts, and per CLI: its transcript (with a fresh `stack export`), state, stack files."""
    texts = dict(exposure.texts)
    for index, cli in enumerate(exposure.clis):
        cli.run("stack", "export")  # recorded in the transcript (secrets stay encrypted)
        texts[f"stack {index}: CLI output and provider stderr"] = cli.transcript
        texts |= files_under(cli.state_dir, f"stack {index}: state")
        texts |= files_under(cli.project_dir, f"stack {index}: project", "Pulumi.*.yaml")
    return texts


def issued_token_digests(stores: list[Path]) -> set[str]:
    """The SHA-256 digests of every token the emulators issued (all they keep of a token)."""
    digests: set[str] = set()
    for store in stores:
        with contextlib.closing(sqlite3.connect(store)) as db:
            rows = db.execute("SELECT key FROM documents WHERE key LIKE 'tokens/%'").fetchall()
        digests |= {str(key).removeprefix("tokens/") for (key,) in rows}
    return digests


def tokens_in(texts: list[str], digests: set[str]) -> set[str]:
    """Every issued token found in `texts`: each 43-character urlsafe window, by its digest."""
    return {
        window
        for text in texts
        for run in TOKEN_RUN.findall(text)
        for i in range(len(run) - TOKEN_LENGTH + 1)
        if hashlib.sha256((window := run[i : i + TOKEN_LENGTH]).encode()).hexdigest() in digests
    }


def files_under(folder: Path, label: str, pattern: str = "*") -> dict[str, str]:
    """Every file under `folder` (matching `pattern`), by `label/relative path`."""
    files = sorted(p for p in folder.rglob(pattern) if p.is_file())
    return {f"{label}/{p.relative_to(folder)}": p.read_text(errors="replace") for p in files}


def _fresh_token(url: str) -> str:
    form = {"grant_type": "client_credentials", "client_id": CLIENT_ID, "scope": "openid"}
    form["client_secret"] = CLIENT_SECRET
    return str(requests.post(f"{url}/ims/token/v3", data=form, timeout=10).json()["access_token"])
