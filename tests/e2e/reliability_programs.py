"""Small Pulumi programs for the reliability tests, written into a test's folder at run time.

One project, `aem-reliability`, whose program declares whatever `resources.json` beside it lists,
so each test states its resources as data (and edits them between runs) instead of keeping a
program per case. Secret values never sit in that file: a value `{"secret": "key"}` is read from
the stack's encrypted `secretValues` configuration (a JSON object set through stdin).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aem_pulumi.emulator.auth import CLIENT_ID, CLIENT_SECRET, ORG_ID

from .harness import PulumiCLI, PulumiCLIFactory
from .leaks import Exposure

PROJECT = "aem-reliability"
SPEC_FILE = "resources.json"

PULUMI_YAML = f"""\
name: {PROJECT}
description: aem-pulumi reliability tests (resources listed in {SPEC_FILE})
runtime:
  name: python
"""

PROGRAM = '''\
"""Declares the resources listed in resources.json (see tests/e2e/reliability_programs.py)."""

import json
from pathlib import Path

import pulumi

import aem_pulumi

config = pulumi.Config()
spec = json.loads((Path(__file__).parent / "resources.json").read_text())
secret_values = config.get_secret("secretValues") or pulumi.Output.secret("{}")
declared = {}


def resolve(value):
    """The value, each `{"secret": key}` in it read from the stack's secret configuration."""
    if isinstance(value, dict) and set(value) == {"secret"}:
        key = value["secret"]
        return pulumi.Output.secret(secret_values.apply(lambda text: json.loads(text)[key]))
    if isinstance(value, dict):
        return {name: resolve(item) for name, item in value.items()}
    if isinstance(value, list):
        return [resolve(item) for item in value]
    return value


for item in spec["resources"]:
    kind = getattr(aem_pulumi, item["kind"])
    args = {name: resolve(value) for name, value in item.get("args", {}).items()}
    depends_on = [declared[name] for name in item.get("depends_on", [])]
    aliases = [pulumi.Alias(name=name) for name in item.get("aliases", [])]
    parent = declared.get(item.get("parent", ""))
    opts = pulumi.ResourceOptions(depends_on=depends_on, aliases=aliases, parent=parent)
    declared[item["name"]] = kind(item["name"], **args, opts=opts)

for name, resource in declared.items():
    pulumi.export(name, resource.id if isinstance(resource, pulumi.CustomResource) else resource.urn)
'''


@dataclass
class Spec:
    """The resources a program declares, in order; `secrets` are their secret values by key."""

    resources: list[dict[str, Any]] = field(default_factory=list)
    secrets: dict[str, str] = field(default_factory=dict)

    def add(
        self,
        kind: str,
        resource_name: str,
        /,
        depends_on: list[str] | None = None,
        aliases: list[str] | None = None,
        parent: str | None = None,
        **args: Any,
    ) -> Spec:
        """Declare one resource (`args` as the resource class takes them); `aliases` are its
        old names, `parent` the name of a resource declared before it."""
        entry = {"kind": kind, "name": resource_name, "args": args, "depends_on": depends_on or []}
        if aliases:
            entry["aliases"] = aliases
        if parent:
            entry["parent"] = parent
        self.resources.append(entry)
        return self

    def secret(self, key: str, value: str) -> dict[str, str]:
        """Register a secret value; answers the reference to pass as an argument."""
        self.secrets[key] = value
        return {"secret": key}

    def names(self, kind: str | None = None) -> list[str]:
        """The declared resource names (of one kind)."""
        return [r["name"] for r in self.resources if kind in (None, r["kind"])]

    def write(self, project_dir: Path) -> None:
        """Write resources.json (no secret value in it)."""
        (project_dir / SPEC_FILE).write_text(json.dumps({"resources": self.resources}, indent=2))


def write_project(project_dir: Path, spec: Spec) -> Path:
    """Create the project (Pulumi.yaml, __main__.py, resources.json) in `project_dir`."""
    project_dir.mkdir(parents=True, exist_ok=True)
    (project_dir / "Pulumi.yaml").write_text(PULUMI_YAML)
    (project_dir / "__main__.py").write_text(PROGRAM)
    spec.write(project_dir)
    return project_dir


def new_stack(
    factory: PulumiCLIFactory,
    workdir: Path,
    url: str,
    spec: Spec,
    exposure: Exposure,
    poll_interval: float = 0.1,
) -> PulumiCLI:
    """A stack `rel` of the generated project in `workdir`, pointed at the emulator at `url`."""
    project = write_project(workdir / "project", spec)
    env = {"AEM_CLIENT_SECRET": CLIENT_SECRET, "AEM_POLL_INTERVAL": str(poll_interval)}
    cli = factory(project, env=env, state_dir=workdir / "state")
    exposure.clis.append(cli)
    cli.stack_init("rel")
    settings = {
        "aem:apiUrl": url,
        "aem:imsUrl": url,
        "aem:clientId": CLIENT_ID,
        "aem:orgId": ORG_ID,
    }
    plain = [arg for key, value in settings.items() for arg in ("--plaintext", f"{key}={value}")]
    cli.run("config", "set-all", *plain)
    write_spec(cli, spec, exposure)
    return cli


def write_spec(cli: PulumiCLI, spec: Spec, exposure: Exposure) -> None:
    """Give the program `spec`: resources.json, and the secret values through stdin."""
    spec.write(cli.project_dir)
    exposure.secret_values.update(spec.secrets.values())
    cli.config_set("secretValues", json.dumps(spec.secrets), secret=True)


# --- building blocks ---------------------------------------------------------------------------

PROGRAM_ID = "10001"
DEV, STAGE = "20001", "20002"
NETWORK = "network"


def network(
    spec: Spec,
    name: str = NETWORK,
    *,
    program_id: str = PROGRAM_ID,
    region: str = "va7",
    vpn: dict[str, Any] | None = None,
    adopt: bool = False,
) -> str:
    """A network infrastructure (flexiblePortEgress, or vpn with `vpn`); answers its name."""
    args: dict[str, Any] = {"program_id": program_id, "region": region}
    args["kind"] = "flexiblePortEgress" if vpn is None else "vpn"
    if vpn is not None:
        args["vpn"] = vpn
    if adopt:
        args["adopt"] = True
    spec.add("AdvancedNetworking", name, **args)
    return name


def vpn_settings(
    spec: Spec, shared_key: str, dns_resolver: str = "10.151.201.22"
) -> dict[str, Any]:
    """VPN settings with one connection; the shared key goes to the secret configuration."""
    return {
        "address_space": ["10.104.182.64/26"],
        "dns_resolvers": [dns_resolver],
        "connections": [
            {
                "name": "office",
                "gateway_address": "195.231.212.78",
                "gateway_address_space": ["192.168.0.0/16"],
                "shared_key": spec.secret("vpn-shared-key", shared_key),
                "ipsec_policy": {
                    "dh_group": "ECP256",
                    "ike_encryption": "AES256",
                    "ike_integrity": "SHA256",
                    "ipsec_encryption": "AES256",
                    "ipsec_integrity": "SHA256",
                    "pfs_group": "None",
                    "sa_datasize": 102400000,
                    "sa_lifetime": 3600,
                },
            }
        ],
    }


def networking(spec: Spec, environment_id: str, *, adopt: bool = False) -> str:
    """Advanced networking on an environment (rules left to PortForwards); answers its name."""
    name = f"networking-{environment_id}"
    args: dict[str, Any] = {"program_id": PROGRAM_ID, "environment_id": environment_id}
    if adopt:
        args["adopt"] = True
    spec.add("EnvironmentAdvancedNetworking", name, depends_on=[NETWORK], **args)
    return name


Rule = tuple[str, int, int]
"""A port forward as the tests compare them: (host, port_dest, port_orig)."""


def port_forwards(
    spec: Spec, environment_id: str, count: int, *, first: int = 0, first_port_orig: int = 30100
) -> list[Rule]:
    """PortForwards number `first` .. `first + count - 1` on the environment; answers their rules.

    They depend on the environment's `networking-…` resource when the program declares it.
    """
    enabler = f"networking-{environment_id}"
    depends_on = [enabler] if enabler in spec.names() else []
    rules = []
    for index in range(first, first + count):
        rule = (f"smtp{index}.e{environment_id}.example.com", 2000 + index, first_port_orig + index)
        host, port_dest, port_orig = rule
        spec.add(
            "PortForward",
            f"forward-{environment_id}-{index}",
            depends_on=depends_on,
            program_id=PROGRAM_ID,
            environment_id=environment_id,
            host=host,
            port_dest=port_dest,
            port_orig=port_orig,
        )
        rules.append(rule)
    return rules


def secrets(spec: Spec, environment_id: str, values: list[str], *, first: int = 0) -> list[str]:
    """One EnvironmentSecret per value, numbered from `first`; answers the variable names."""
    names = []
    for index, value in enumerate(values, start=first):
        name = f"REL_SECRET_{index:02d}"
        spec.add(
            "EnvironmentSecret",
            f"secret-{environment_id}-{index}",
            program_id=PROGRAM_ID,
            environment_id=environment_id,
            name=name,
            value=spec.secret(f"{environment_id}-{index}", value),
        )
        names.append(name)
    return names
