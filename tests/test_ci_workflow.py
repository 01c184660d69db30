"""examples/ci/pulumi-preview.yml: actionlint accepts it, and it follows pulumi/actions' conventions."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = REPO_ROOT / "examples" / "ci" / "pulumi-preview.yml"


@pytest.fixture(scope="module")
def actionlint() -> Path:
    """The actionlint that `make lint` uses, built from Go modules by the Makefile on first use."""
    path = _makefile_var("ACTIONLINT").replace(
        "$(ACTIONLINT_VERSION)", _makefile_var("ACTIONLINT_VERSION")
    )
    subprocess.run(["make", "-s", path], cwd=REPO_ROOT, check=True, capture_output=True)
    return REPO_ROOT / path


def _makefile_var(name: str) -> str:
    match = re.search(rf"^{name} := (\S+)$", (REPO_ROOT / "Makefile").read_text(), re.M)
    assert match is not None, name
    return match.group(1)


def _lint(actionlint: Path, workflow: Path) -> subprocess.CompletedProcess[str]:
    # -shellcheck= keeps the result the same whether or not shellcheck is installed.
    return subprocess.run(
        [str(actionlint), "-no-color", "-shellcheck=", "-oneline", str(workflow)],
        capture_output=True,
        text=True,
        check=False,
    )


def _preview_step() -> dict[str, Any]:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    steps = workflow["jobs"]["preview"]["steps"]
    [step] = [s for s in steps if str(s.get("uses", "")).startswith("pulumi/actions@")]
    assert isinstance(step, dict)
    return step


def test_workflow__actionlint(actionlint: Path) -> None:
    result = _lint(actionlint, WORKFLOW)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_workflow__actionlint__unknown_action_input(actionlint: Path, tmp_path: Path) -> None:
    # actionlint knows pulumi/actions@v6's inputs, so a misspelt one fails `make lint`.
    misspelt = tmp_path / "pulumi-preview.yml"
    misspelt.write_text(WORKFLOW.read_text().replace("edit-pr-comment:", "edit-pr-comments:"))

    result = _lint(actionlint, misspelt)
    assert result.returncode == 1
    assert 'input "edit-pr-comments" is not defined in action "pulumi/actions@v6"' in result.stdout


def test_workflow__pulumi_actions_conventions() -> None:
    step = _preview_step()
    assert step["uses"] == "pulumi/actions@v6"
    inputs = step["with"]
    assert (inputs["command"], inputs["diff"], inputs["edit-pr-comment"]) == ("preview", True, True)
    assert inputs["comment-on-pr"] == "${{ github.event_name == 'pull_request' }}"
    assert inputs["refresh"] == "${{ inputs.refresh || vars.PULUMI_PREVIEW_REFRESH == 'true' }}"
    assert inputs["stack-name"] == "${{ matrix.stack }}"
    assert inputs["pulumi-version"] == "^3.272.0"
    # No build from Go modules on the runner: the action installs the CLI.
    text = WORKFLOW.read_text()
    assert "get-pulumi" not in text
    assert "setup-go" not in text
    assert set(re.findall(r"\$\{\{ secrets\.(\w+) \}\}", text)) == {
        "PULUMI_BACKEND_URL",
        "PULUMI_CONFIG_PASSPHRASE",
        "PULUMI_ACCESS_TOKEN",
        "AEM_CLIENT_SECRET",
    }
