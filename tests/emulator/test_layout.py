"""The emulator's modules import each other in one direction; its control client needs no Flask."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import aem_pulumi.emulator

PACKAGE = Path(aem_pulumi.emulator.__file__).parent
PREFIX = "aem_pulumi.emulator"


def _imports(path: Path) -> set[str]:
    """The sibling modules one emulator module imports, wherever the import statement is."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module == PREFIX:
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(f"{PREFIX}."):
            found.add((node.module or "").removeprefix(f"{PREFIX}.").split(".")[0])
    return found


def _graph() -> dict[str, set[str]]:
    """Each emulator module → the sibling modules it imports."""
    return {path.stem: _imports(path) for path in PACKAGE.glob("*.py")}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """One import cycle, empty when there is none (depth-first search)."""
    done: set[str] = set()

    def visit(module: str, path: list[str]) -> list[str]:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return []
        for imported in sorted(graph.get(module, set())):
            found = visit(imported, [*path, module])
            if found:
                return found
        done.add(module)
        return []

    for module in sorted(graph):
        found = visit(module, [])
        if found:
            return found
    return []


def test_cycle__found_in_a_circular_graph() -> None:
    assert _cycle({"app": {"network"}, "network": {"wire"}, "wire": {"app"}}) == [
        "app",
        "network",
        "wire",
        "app",
    ]


def test_emulator_modules__import_without_a_cycle() -> None:
    graph = _graph()
    assert {"app", "store", "records", "lifecycles", "persistence"} <= graph.keys()
    assert _cycle(graph) == []


def test_control_client__imports_without_flask() -> None:
    code = (
        "import sys; sys.modules['flask'] = None\n"
        "from aem_pulumi.emulator.control_client import EmulatorControl\n"
        "print(EmulatorControl.__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert (result.returncode, result.stdout.strip()) == (0, "EmulatorControl"), result.stderr
