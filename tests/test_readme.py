"""The README's input reference matches the input models it is generated from."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "reference.py"


def test_readme__input_reference_is_current() -> None:
    spec = importlib.util.spec_from_file_location("reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    reference = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(reference)
    assert reference.current() == reference.render(), "run: python scripts/reference.py --write"
