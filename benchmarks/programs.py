"""The small Pulumi programs the benchmark deploys: a `Pulumi.yaml` and a `__main__.py` each.

Every program targets program 10001, environment 20001 of the emulator's seed; the client
settings come from `AEM_*` variables set by the runner, so the programs carry no credentials.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from textwrap import dedent

PROGRAM_ID = "10001"
ENVIRONMENT_ID = "20001"
FIRST_PORT_ORIG = 30100
SMTP_PORT = 465

_HEADER = dedent(
    f"""\
    import pulumi

    import aem_pulumi

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

    def write(self, directory: Path) -> Path:
        """Write `Pulumi.yaml` and `__main__.py` into `directory` (created); answer it."""
        directory.mkdir(parents=True, exist_ok=True)
        (directory / "Pulumi.yaml").write_text(f"name: {self.name}\nruntime: python\n")
        (directory / "__main__.py").write_text(self.source)
        return directory


def _rules(n: int) -> str:
    """Python source of a list of `n` distinct port forward rules."""
    return (
        f'[{{"host": f"smtp{{i}}.example.com", "port_dest": {SMTP_PORT}, '
        f'"port_orig": {FIRST_PORT_ORIG} + i}} for i in range({n})]'
    )


def port_forwards(n: int) -> Program:
    """`n` separate `PortForward` resources (advanced networking is enabled beforehand)."""
    body = dedent(
        f"""\
        for i, rule in enumerate({_rules(n)}):
            aem_pulumi.PortForward(f"forward-{{i}}", **WHERE, **rule)
        """
    )
    return Program(f"bench-port-forwards-{n}", _HEADER + body, n)


def networking_list(n: int) -> Program:
    """One `EnvironmentAdvancedNetworking` that enables networking with `n` rules."""
    body = dedent(
        f"""\
        aem_pulumi.EnvironmentAdvancedNetworking("networking", **WHERE, port_forwards={_rules(n)})
        """
    )
    return Program(f"bench-networking-list-{n}", _HEADER + body, 1)


def secrets(m: int) -> Program:
    """`m` separate `EnvironmentSecret` resources."""
    body = dedent(
        f"""\
        for i in range({m}):
            aem_pulumi.EnvironmentSecret(
                f"secret-{{i}}", **WHERE, name=f"BENCH_SECRET_{{i}}", value=f"bench-value-{{i}}"
            )
        """
    )
    return Program(f"bench-secrets-{m}", _HEADER + body, m)


def mail_service() -> Program:
    """The full `MailService`: a port forward, a username variable and a password secret."""
    body = dedent(
        """\
        mail = aem_pulumi.MailService(
            "mail",
            **WHERE,
            smtp_host="smtp.sendgrid.net",
            from_address="noreply@wknd.site",
            username="apikey",
            password=pulumi.Output.secret("bench-password"),
            app_name="wknd",
        )
        pulumi.export("default_mail_service_json", mail.default_mail_service_json)
        """
    )
    return Program("bench-mail-service", _HEADER + body, 3)


def mixed(forwards: int, secret_count: int) -> Program:
    """Networking enabled by the stack, `forwards` `PortForward`s on it, `secret_count` secrets."""
    body = dedent(
        f"""\
        networking = aem_pulumi.EnvironmentAdvancedNetworking("networking", **WHERE)
        after = pulumi.ResourceOptions(depends_on=[networking])
        for i, rule in enumerate({_rules(forwards)}):
            aem_pulumi.PortForward(f"forward-{{i}}", **WHERE, **rule, opts=after)
        for i in range({secret_count}):
            aem_pulumi.EnvironmentSecret(
                f"secret-{{i}}", **WHERE, name=f"BENCH_SECRET_{{i}}", value=f"bench-value-{{i}}"
            )
        """
    )
    return Program(
        f"bench-mixed-{1 + forwards + secret_count}", _HEADER + body, 1 + forwards + secret_count
    )
