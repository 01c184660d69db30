"""The core serves both front ends, so it must import nothing from Pulumi (issue 11)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import aem_pulumi.core

# `sys.modules[name] = None` makes every later `import name` fail, as if it were not installed.
PROBE = """
import sys
sys.modules["pulumi"] = None
import importlib
for name in {modules!r}:
    importlib.import_module(name)
print("imported", len({modules!r}))
"""


def _core_modules() -> list[str]:
    prefix = aem_pulumi.core.__name__ + "."
    found = pkgutil.walk_packages(aem_pulumi.core.__path__, prefix)
    return [aem_pulumi.core.__name__, *sorted(m.name for m in found)]


def test_core__imports_without_pulumi() -> None:
    modules = _core_modules()
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=modules)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"imported {len(modules)}"


def test_core__probe_fails_when_a_module_needs_pulumi() -> None:
    """The probe itself can fail: a module that imports pulumi is refused."""
    result = subprocess.run(
        [sys.executable, "-c", PROBE.format(modules=["aem_pulumi.dynamic.provider"])],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "pulumi" in result.stderr
