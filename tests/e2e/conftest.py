"""Fixtures for tests that drive the real Pulumi CLI."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import PulumiCLI, PulumiCLIFactory, pulumi_bin_dir


@pytest.fixture(scope="session")
def pulumi_bin() -> Path:
    """The folder with `pulumi` and its plugins; built by scripts/get-pulumi.sh on first use."""
    return pulumi_bin_dir()


@pytest.fixture
def pulumi_cli_factory(pulumi_bin: Path, tmp_path: Path) -> PulumiCLIFactory:
    """Make a PulumiCLI for a project; by default all share the backend in tmp_path/state."""

    def make(
        project_dir: Path,
        env: dict[str, str] | None = None,
        state_dir: Path | None = None,
    ) -> PulumiCLI:
        return PulumiCLI(project_dir, state_dir or tmp_path / "state", env)

    return make
