"""The Pulumi toolchain itself: CLI, our language host and the dynamic provider plugin."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from textwrap import dedent

import pytest

from .harness import GET_PULUMI, REPO_ROOT, PulumiCLIFactory

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


# --- Python plugins, started by the language host's RunPlugin -----------------------------------

# A resource provider on the SDK's experimental provider server, serving toy:index:Greeting: Create
# writes the greeting to `path` (not at preview: the default configure says supports_preview) and
# Delete removes the file, so the file shows that the engine really ran the plugin.
TOY_PROVIDER = dedent(
    '''
    """A resource provider plugin in Python serving one resource type, toy:index:Greeting."""

    import json
    import sys
    from pathlib import Path

    from pulumi.provider.experimental import provider as p
    from pulumi.provider.experimental import server
    from pulumi.provider.experimental.property_value import PropertyValue

    STRING = {"type": "string"}
    SCHEMA = {
        "name": "toy",
        "version": "0.0.1",
        "resources": {
            "toy:index:Greeting": {
                "inputProperties": {"person": STRING, "path": STRING},
                "requiredInputs": ["person", "path"],
                "properties": {"person": STRING, "path": STRING, "greeting": STRING},
                "required": ["person", "path", "greeting"],
            }
        },
    }


    class ToyProvider(p.Provider):
        async def get_schema(self, request: p.GetSchemaRequest) -> p.GetSchemaResponse:
            return p.GetSchemaResponse(schema=json.dumps(SCHEMA))

        async def create(self, request: p.CreateRequest) -> p.CreateResponse:
            path = request.properties["path"].value
            greeting = f"hello {request.properties['person'].value}"
            if not request.preview:
                Path(path).write_text(greeting)
            outputs = {**request.properties, "greeting": PropertyValue(greeting)}
            return p.CreateResponse(resource_id=path, properties=outputs)

        async def delete(self, request: p.DeleteRequest) -> None:
            Path(request.resource_id).unlink()


    server.main(sys.argv[1:], "0.0.1", ToyProvider())
    '''
)

GREETING_PROGRAM = dedent(
    """
    import pulumi


    class Greeting(pulumi.CustomResource):
        greeting: pulumi.Output[str]

        def __init__(self, name: str, person: str, path: str) -> None:
            props = {"person": person, "path": path, "greeting": None}
            super().__init__("toy:index:Greeting", name, props)


    config = pulumi.Config()
    greeting = Greeting("hi", config.require("person"), config.require("path"))
    pulumi.export("greeting", greeting.greeting)
    """
)

# The same program on the SDK that `pulumi package gen-sdk` generates from the plugin's schema.
GENERATED_SDK_PROGRAM = dedent(
    """
    import sys

    sys.path.insert(0, "sdk/python")

    import pulumi
    import pulumi_toy as toy

    config = pulumi.Config()
    greeting = toy.Greeting("hi", person=config.require("person"), path=config.require("path"))
    pulumi.export("greeting", greeting.greeting)
    """
)

# A policy pack without the pulumi_policy package: an Analyzer server on the SDK's stubs. Its
# message names the stack, which reaches the pack only through the host's policy proxy.
POLICY_PACK = dedent(
    '''
    """Forbids greeting a stranger."""

    import os
    from concurrent import futures

    import grpc
    from google.protobuf import empty_pb2
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

    PACK, POLICY, VERSION = "toy-policy", "no-strangers", "0.0.1"
    MANDATORY = analyzer_pb2.MANDATORY


    class Analyzer(analyzer_pb2_grpc.AnalyzerServicer):
        def GetPluginInfo(self, request, context):
            return plugin_pb2.PluginInfo(version=VERSION)

        def GetAnalyzerInfo(self, request, context):
            policy = analyzer_pb2.PolicyInfo(
                name=POLICY, description="Greet only friends.", enforcementLevel=MANDATORY
            )
            return analyzer_pb2.AnalyzerInfo(name=PACK, version=VERSION, policies=[policy])

        def Configure(self, request, context):
            return empty_pb2.Empty()

        def Analyze(self, request, context):
            person = request.properties.fields.get("person")
            if person is None or person.string_value != "stranger":
                return analyzer_pb2.AnalyzeResponse()
            diagnostic = analyzer_pb2.AnalyzeDiagnostic(
                policyName=POLICY,
                policyPackName=PACK,
                policyPackVersion=VERSION,
                description="Greet only friends.",
                message=f"{request.name} greets a stranger in stack {os.environ['PULUMI_STACK']}",
                enforcementLevel=MANDATORY,
                urn=request.urn,
            )
            return analyzer_pb2.AnalyzeResponse(diagnostics=[diagnostic])

        def AnalyzeStack(self, request, context):
            return analyzer_pb2.AnalyzeResponse()


    server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(Analyzer(), server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    print(port, flush=True)
    server.wait_for_termination()
    '''
)

PLUGIN_USER_YAML = dedent(
    """
    name: plugin-user
    runtime: python
    plugins:
      providers:
        - name: toy
          path: ../toy-plugin
    """
)


def _python_runtime() -> str:
    """The `runtime:` block that runs a plugin in this virtualenv.

    Without the option, Pulumi's own host runs a plugin in `venv` inside the plugin folder (ours
    falls back to PULUMI_PYTHON_CMD); naming it keeps these tests valid with either host.
    """
    return f"runtime:\n  name: python\n  options:\n    virtualenv: {sys.prefix}\n"


def _toy_plugin(root: Path, layout: str = "main") -> Path:
    """Write the toy provider plugin folder; "package" lays it out as a buildable package."""
    plugin = root / "toy-plugin"
    plugin.mkdir()
    (plugin / "PulumiPlugin.yaml").write_text(_python_runtime())
    if layout == "main":
        (plugin / "__main__.py").write_text(TOY_PROVIDER)
        return plugin
    # Run as `python -m pulumi.run.plugin toy-plugin`, which imports the module toy_plugin.
    (plugin / "pyproject.toml").write_text(
        '[project]\nname = "toy-plugin"\nversion = "0.0.1"\n\n'
        '[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n'
    )
    (plugin / "toy_plugin").mkdir()
    (plugin / "toy_plugin" / "__init__.py").write_text("")
    (plugin / "toy_plugin" / "__main__.py").write_text(TOY_PROVIDER)
    return plugin


def _plugin_user(root: Path, program: str = GREETING_PROGRAM) -> Path:
    """Write a Python project that uses the toy plugin folder beside it."""
    project = root / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(PLUGIN_USER_YAML)
    (project / "__main__.py").write_text(program)
    return project


@pytest.mark.e2e
@pytest.mark.parametrize("layout", ["main", "package"])
def test_run_plugin__resource_provider(
    tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory, layout: str
) -> None:
    plugin = _toy_plugin(tmp_path, layout)
    # A package plugin's module must be importable; an installed package would be.
    env = {"PYTHONPATH": str(plugin)} if layout == "package" else None
    cli = pulumi_cli_factory(_plugin_user(tmp_path), env=env)
    out = tmp_path / "greeting.txt"
    cli.stack_init("dev")
    cli.config_set("person", "world")
    cli.config_set("path", str(out))

    cli.preview()
    assert not out.exists()
    cli.up()
    assert out.read_text() == "hello world"
    assert cli.outputs() == {"greeting": "hello world"}
    cli.preview(expect_no_changes=True)
    cli.destroy()
    assert not out.exists()


@pytest.mark.e2e
def test_run_plugin__not_runnable(tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory) -> None:
    plugin = tmp_path / "toy-plugin"
    plugin.mkdir()
    (plugin / "PulumiPlugin.yaml").write_text(_python_runtime())
    cli = pulumi_cli_factory(_plugin_user(tmp_path))
    cli.stack_init("dev")
    cli.config_set("person", "world")
    cli.config_set("path", str(tmp_path / "greeting.txt"))

    result = cli.run("preview", "--non-interactive", check=False)
    assert result.returncode == 1
    # Pulumi's own host words it the same way.
    assert "it provides neither __main__.py nor a buildable pyproject.toml" in result.stdout


@pytest.mark.e2e
def test_run_plugin__policy_pack(tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory) -> None:
    _toy_plugin(tmp_path)
    pack = tmp_path / "policy"
    pack.mkdir()
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (pack / "__main__.py").write_text(POLICY_PACK)
    cli = pulumi_cli_factory(_plugin_user(tmp_path))
    cli.stack_init("dev")
    cli.config_set("path", str(tmp_path / "greeting.txt"))

    cli.config_set("person", "world")
    cli.run("preview", "--non-interactive", "--policy-pack", str(pack))
    cli.config_set("person", "stranger")
    result = cli.run("preview", "--non-interactive", "--policy-pack", str(pack), check=False)
    assert result.returncode == 1
    assert "[mandatory]  no-strangers  (toy:index:Greeting: hi)" in result.stdout
    assert "hi greets a stranger in stack dev" in result.stdout


# --- SDK generation: the language host's GeneratePackage (and Link) ----------------------------


@pytest.mark.e2e
def test_gen_sdk__program_on_generated_sdk(
    tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory
) -> None:
    plugin = _toy_plugin(tmp_path)
    project = _plugin_user(tmp_path, GENERATED_SDK_PROGRAM)
    cli = pulumi_cli_factory(project)
    cli.run("package", "gen-sdk", str(plugin), "--language", "python", "--out", "sdk")
    sdk = project / "sdk" / "python"
    assert (
        "class Greeting(pulumi.CustomResource):" in (sdk / "pulumi_toy" / "greeting.py").read_text()
    )
    # The SDK reads its version from its installed metadata; this stands in for `pip install`.
    dist_info = sdk / "pulumi_toy-0.0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: pulumi_toy\nVersion: 0.0.1\n")
    out = tmp_path / "greeting.txt"
    cli.stack_init("dev")
    cli.config_set("person", "sdk")
    cli.config_set("path", str(out))

    cli.up()
    assert out.read_text() == "hello sdk"
    cli.destroy()
    assert not out.exists()


@pytest.mark.e2e
def test_package_add(
    tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory, pulumi_bin: Path
) -> None:
    if not pulumi_bin.is_relative_to(REPO_ROOT / ".tools"):
        # Pulumi's own host adds the SDK to requirements.txt and pip-installs it into the venv.
        pytest.skip("checks the Link of our language host, built by scripts/get-pulumi.sh")
    plugin = _toy_plugin(tmp_path)
    project = _plugin_user(tmp_path)
    cli = pulumi_cli_factory(project)

    result = cli.run("package", "add", str(plugin))
    assert (project / "sdks" / "toy" / "pulumi_toy" / "greeting.py").is_file()
    assert "import pulumi_toy as toy" in result.stdout
    assert f"packages:\n  toy: {plugin}" in (project / "Pulumi.yaml").read_text()


# --- A second language: Pulumi's YAML language host ---------------------------------------------

YAML_OUTPUTS = dedent(
    """
    name: yaml-outputs
    runtime: yaml
    config:
      person:
        type: string
    variables:
      greeting: hello ${person}
    outputs:
      greeting: ${greeting}
      stack: ${pulumi.stack}
    """
)

# The toy Python plugin used from YAML: the engine starts it through our Python host's RunPlugin,
# and the YAML host types the resource with the schema the plugin serves (GetSchema).
YAML_PLUGIN_USER = dedent(
    """
    name: yaml-plugin-user
    runtime: yaml
    plugins:
      providers:
        - name: toy
          path: ../toy-plugin
    config:
      path:
        type: string
    resources:
      hi:
        type: toy:index:Greeting
        properties:
          person: yaml
          path: ${path}
    outputs:
      greeting: ${hi.greeting}
    """
)


@pytest.mark.e2e
def test_yaml__config_and_outputs(tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(YAML_OUTPUTS)
    cli = pulumi_cli_factory(project)
    cli.stack_init("dev")
    cli.config_set("person", "yaml")

    cli.up()
    assert cli.outputs() == {"greeting": "hello yaml", "stack": "dev"}
    cli.preview(expect_no_changes=True)
    cli.destroy()
    assert cli.outputs() == {}


@pytest.mark.e2e
def test_yaml__python_plugin(tmp_path: Path, pulumi_cli_factory: PulumiCLIFactory) -> None:
    _toy_plugin(tmp_path)
    project = tmp_path / "project"
    project.mkdir()
    (project / "Pulumi.yaml").write_text(YAML_PLUGIN_USER)
    out = tmp_path / "greeting.txt"
    cli = pulumi_cli_factory(project)
    cli.stack_init("dev")
    cli.config_set("path", str(out))

    cli.up()
    assert out.read_text() == "hello yaml"
    assert cli.outputs() == {"greeting": "hello yaml"}
    cli.preview(expect_no_changes=True)
    cli.destroy()
    assert not out.exists()


# --- scripts/get-pulumi.sh: an installed CLI instead of a build --------------------------------
# These run a copy of the script in an empty checkout, with a PATH of a fake installation and the
# system folders only: no Go there, so a build attempt stops at once with its message.

PYTHON_PLUGINS = ("pulumi-language-python", "pulumi-resource-pulumi-python")


def _fake_installation(
    folder: Path, version: str, plugins: tuple[str, ...] = PYTHON_PLUGINS
) -> Path:
    """Write a `pulumi` that prints `version`, and stand-ins for the plugins beside it."""
    folder.mkdir(parents=True)
    files = {"pulumi": f'#!/bin/sh\n[ "$1" = version ] && echo {version}\n'}
    files.update((name, "#!/bin/sh\nexit 1\n") for name in plugins)
    for name, text in files.items():
        (folder / name).write_text(text)
        (folder / name).chmod(0o755)
    return folder


def _get_pulumi(tmp_path: Path, installed: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run a copy of get-pulumi.sh from an empty checkout with `installed` first on PATH."""
    script = tmp_path / "checkout" / "scripts" / "get-pulumi.sh"
    script.parent.mkdir(parents=True)
    shutil.copy(GET_PULUMI, script)
    bash = shutil.which("bash")
    assert bash is not None
    return subprocess.run(
        [bash, str(script)],
        env={"PATH": f"{installed}:/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("version", ["v3.272.0", "v3.290.1", "v3.300.0-alpha.1+dirty"])
def test_get_pulumi__installed_cli(tmp_path: Path, version: str) -> None:
    installed = _fake_installation(tmp_path / "installed", version)

    result = _get_pulumi(tmp_path, installed)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{installed}\n", "")
    assert not (tmp_path / "checkout" / ".tools").exists()


def test_get_pulumi__installed_cli_of_pulumi_version(tmp_path: Path) -> None:
    installed = _fake_installation(tmp_path / "installed", "v3.280.0")

    result = _get_pulumi(tmp_path, installed, PULUMI_VERSION="v3.280.0")
    assert (result.returncode, result.stdout, result.stderr) == (0, f"{installed}\n", "")


@pytest.mark.parametrize(
    ("version", "pulumi_version", "need"),
    [
        ("v3.271.9", None, "v3.272.0 or a later v3"),
        ("v3.272.0-alpha.1", None, "v3.272.0 or a later v3"),
        ("v4.0.0", None, "v3.272.0 or a later v3"),
        ("v3.281.0", "v3.280.0", "v3.280.0"),
    ],
)
def test_get_pulumi__unsupported_installed_cli(
    tmp_path: Path, version: str, pulumi_version: str | None, need: str
) -> None:
    installed = _fake_installation(tmp_path / "installed", version)
    env = {"PULUMI_VERSION": pulumi_version} if pulumi_version else {}

    result = _get_pulumi(tmp_path, installed, **env)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"get-pulumi: not using {installed}/pulumi {version}: need {need}\n"
        "get-pulumi: Go is needed to build the Pulumi CLI\n"
    )


def test_get_pulumi__installed_cli_without_python_host(tmp_path: Path) -> None:
    installed = _fake_installation(
        tmp_path / "installed", "v3.280.0", plugins=("pulumi-resource-pulumi-python",)
    )

    result = _get_pulumi(tmp_path, installed)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"get-pulumi: not using {installed}/pulumi: no pulumi-language-python beside it\n"
        "get-pulumi: Go is needed to build the Pulumi CLI\n"
    )


def test_get_pulumi__other_checkouts_build(tmp_path: Path) -> None:
    installed = _fake_installation(
        tmp_path / "other" / ".tools" / "pulumi" / "v3.274.1" / "bin", "v3.274.1"
    )

    result = _get_pulumi(tmp_path, installed)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (
        f"get-pulumi: not using {installed}: another checkout's build\n"
        "get-pulumi: Go is needed to build the Pulumi CLI\n"
    )
