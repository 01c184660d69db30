"""The small Pulumi programs the benchmark deploys: a `Pulumi.yaml` and a `__main__.py` each.

Every program targets program 10001, environment 20001 of the emulator's seed; the client
settings come from `AEM_*` variables set by the runner, so the programs carry no credentials.
A program runs on one front end: the dynamic resources (`import aem_pulumi`) or the provider
plugin (`import aem_pulumi.native`, with `pulumi-resource-aem` from this virtualenv named in
`Pulumi.yaml`, as docs/plugin.md shows).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent
from typing import Literal

FrontEnd = Literal["dynamic", "plugin"]

PROGRAM_ID = "10001"
ENVIRONMENT_ID = "20001"
FIRST_PORT_ORIG = 30100
SMTP_PORT = 465

_MODULES: dict[FrontEnd, str] = {"dynamic": "aem_pulumi", "plugin": "aem_pulumi.native"}
# The folder of this virtualenv's console scripts, `pulumi-resource-aem` among them.
PLUGIN_DIR = Path(sys.executable).parent


def _header(front_end: FrontEnd) -> str:
    """The program's imports and the target environment; `aem` is the front end's module."""
    return dedent(
        f"""\
        import pulumi

        import {_MODULES[front_end]} as aem

        PROGRAM_ID = "{PROGRAM_ID}"
        ENVIRONMENT_ID = "{ENVIRONMENT_ID}"
        WHERE = dict(program_id=PROGRAM_ID, environment_id=ENVIRONMENT_ID)
        """
    )


@dataclass(frozen=True)
class Program:
    """A Pulumi program: its project name, its source and how many resources it declares."""

    name: str
    source: str
    resources: int
    front_end: FrontEnd = "dynamic"

    def project_yaml(self) -> str:
        """`Pulumi.yaml`: the plugin's programs name this virtualenv's `pulumi-resource-aem`."""
        text = f"name: {self.name}\nruntime: python\n"
        if self.front_end == "plugin":
            text += f"plugins:\n  providers:\n    - name: aem\n      path: {PLUGIN_DIR}\n"
        return text

    def write(self, directory: Path) -> Path:
        """Write `Pulumi.yaml` and `__main__.py` into `directory` (created); answer it."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "Pulumi.yaml").write_text(self.project_yaml())
        (directory / "__main__.py").write_text(self.source)
        return directory


def _rules(n: int) -> str:
    """Python source of a list of `n` distinct port forward rules."""
    return (
        f'[{{"host": f"smtp{{i}}.example.com", "port_dest": {SMTP_PORT}, '
        f'"port_orig": {FIRST_PORT_ORIG} + i}} for i in range({n})]'
    )


def _program(name: str, body: str, resources: int, front_end: FrontEnd = "dynamic") -> Program:
    suffix = "-plugin" if front_end == "plugin" else ""
    return Program(f"bench-{name}{suffix}", _header(front_end) + dedent(body), resources, front_end)


def port_forwards(n: int, front_end: FrontEnd = "dynamic") -> Program:
    """`n` separate `PortForward` resources (advanced networking is enabled beforehand)."""
    body = f"""\
        for i, rule in enumerate({_rules(n)}):
            aem.PortForward(f"forward-{{i}}", **WHERE, **rule)
        """
    return _program(f"port-forwards-{n}", body, n, front_end)


def networking_list(n: int) -> Program:
    """One `EnvironmentAdvancedNetworking` that enables networking with `n` rules."""
    body = f"""\
        aem.EnvironmentAdvancedNetworking("networking", **WHERE, port_forwards={_rules(n)})
        """
    return _program(f"networking-list-{n}", body, 1)


def secrets(m: int) -> Program:
    """`m` separate `EnvironmentSecret` resources."""
    body = f"""\
        for i in range({m}):
            aem.EnvironmentSecret(
                f"secret-{{i}}", **WHERE, name=f"BENCH_SECRET_{{i}}", value=f"bench-value-{{i}}"
            )
        """
    return _program(f"secrets-{m}", body, m)


def variable_maps(m: int) -> tuple[dict[str, str], dict[str, str]]:
    """`m` variables as (plain, secret) name-to-value maps: half of each, the odd one secret."""
    plain = m // 2
    variables = {f"BENCH_VAR_{i}": f"bench-value-{i}" for i in range(plain)}
    return variables, _secret_map(m - plain)


def _secret_map(m: int) -> dict[str, str]:
    return {f"BENCH_SECRET_{i}": f"bench-secret-{i}" for i in range(m)}


def environment_variables(m: int, front_end: FrontEnd = "dynamic") -> Program:
    """One `EnvironmentVariables` with `m` variables, half plain and half secret."""
    variables, secret_values = variable_maps(m)
    body = f"""\
        aem.EnvironmentVariables(
            "variables", **WHERE, variables={variables!r}, secrets={secret_values!r}
        )
        """
    return _program(f"environment-variables-{m}", body, 1, front_end)


_MAIL = """\
        mail = aem.MailService(
            "mail",
            **WHERE,
            smtp_host="smtp.sendgrid.net",
            from_address="noreply@wknd.site",
            username="apikey",
            password=pulumi.Output.secret("bench-password"),
            app_name="wknd",{extra}
        )
        pulumi.export("default_mail_service_json", mail.default_mail_service_json)
        """


def mail_service() -> Program:
    """The full `MailService`: a port forward, a username variable and a password secret."""
    return _program("mail-service", _MAIL.format(extra=""), 3)


def mail_service_bulk(rules: int, secret_count: int, front_end: FrontEnd = "dynamic") -> Program:
    """`MailService` writing into an `EnvironmentAdvancedNetworking` that enables networking with
    `rules` more rules, and into an `EnvironmentVariables` with `secret_count` more secrets."""
    secrets = _secret_map(secret_count)
    bulk = f"""\
        networking = aem.EnvironmentAdvancedNetworking(
            "networking", **WHERE, port_forwards={_rules(rules)}
        )
        variables = aem.EnvironmentVariables("variables", **WHERE, secrets={secrets!r})
        """
    into = "\n            networking=networking,\n            variables=variables,"
    body = dedent(bulk) + dedent(_MAIL.format(extra=into))
    return _program(f"mail-service-bulk-{rules}-{secret_count}", body, 3, front_end)


def mixed(forwards: int, secret_count: int, front_end: FrontEnd = "dynamic") -> Program:
    """Networking enabled by the stack, `forwards` `PortForward`s on it, `secret_count` secrets."""
    body = f"""\
        networking = aem.EnvironmentAdvancedNetworking("networking", **WHERE)
        after = pulumi.ResourceOptions(depends_on=[networking])
        for i, rule in enumerate({_rules(forwards)}):
            aem.PortForward(f"forward-{{i}}", **WHERE, **rule, opts=after)
        for i in range({secret_count}):
            aem.EnvironmentSecret(
                f"secret-{{i}}", **WHERE, name=f"BENCH_SECRET_{{i}}", value=f"bench-value-{{i}}"
            )
        """
    n = 1 + forwards + secret_count
    return _program(f"mixed-{n}", body, n, front_end)
