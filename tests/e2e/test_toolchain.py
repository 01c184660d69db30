"""The Pulumi toolchain itself: CLI, our language host and the dynamic provider plugin."""

from __future__ import annotations

import json
from pathlib import Path
from textwrap import dedent

import pytest

from .harness import PulumiCLIFactory

PULUMI_YAML = "name: toolchain\nruntime: python\n"

# A provider class in an importable module is pickled by reference, as aem_pulumi's are.
PROVIDER = dedent(
    '''
    """A dynamic provider that manages one text file."""

    from pathlib import Path
    from typing import Any

    from pulumi import Output, ResourceOptions
    from pulumi.dynamic import CreateResult, DiffResult, ReadResult, Resource, ResourceProvider
    from pulumi.dynamic import UpdateResult


    class FileProvider(ResourceProvider):
        def create(self, props: dict[str, Any]) -> CreateResult:
            Path(props["path"]).write_text(props["content"])
            return CreateResult(props["path"], {**props, "size": len(props["content"])})

        def diff(self, _id: str, olds: dict[str, Any], news: dict[str, Any]) -> DiffResult:
            changed = [k for k in ("path", "content") if olds.get(k) != news.get(k)]
            return DiffResult(changes=bool(changed), replaces=[k for k in changed if k == "path"])

        def update(self, _id: str, _olds: dict[str, Any], news: dict[str, Any]) -> UpdateResult:
            Path(news["path"]).write_text(news["content"])
            return UpdateResult({**news, "size": len(news["content"])})

        def read(self, id_: str, props: dict[str, Any]) -> ReadResult:
            path = Path(id_)
            if not path.exists():
                return ReadResult(None, {})
            content = path.read_text()
            return ReadResult(id_, {**props, "content": content, "size": len(content)})

        def delete(self, id_: str, _props: dict[str, Any]) -> None:
            Path(id_).unlink()


    class File(Resource, module="toolchain", name="File"):
        size: Output[int]

        def __init__(self, name: str, path: str, content: str, opts: ResourceOptions | None = None):
            super().__init__(FileProvider(), name, {"path": path, "content": content, "size": None}, opts)
    '''
)

PROGRAM = dedent(
    """
    import pulumi
    from toolchain_file import File

    config = pulumi.Config()
    managed = File("managed", path=config.require("path"), content=config.require("content"))
    pulumi.export("size", managed.size)
    pulumi.export("token", config.require_secret("token"))
    """
)

TOKEN = "e2e-token-4f1c9a"


@pytest.mark.e2e
def test_toolchain__up_preview_refresh_destroy(
    tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(PULUMI_YAML)
    (project / "toolchain_file.py").write_text(PROVIDER)
    (project / "__main__.py").write_text(PROGRAM)
    managed = tmp_path / "managed.txt"
    cli = pulumi_cli_factory(project)
    cli.stack_init("dev")
    cli.config_set("path", str(managed))
    cli.config_set("content", "hello")
    cli.config_set("token", TOKEN, secret=True)

    cli.up()
    assert managed.read_text() == "hello"
    assert cli.outputs() == {"size": 5, "token": TOKEN}

    cli.preview(expect_no_changes=True)
    cli.refresh(expect_no_changes=True)
    assert TOKEN not in json.dumps(cli.export())

    cli.destroy()
    assert not managed.exists()
    assert cli.outputs() == {}
    assert TOKEN not in cli.transcript
