"""MailService with Pulumi's mocks: children, outputs (the seed's scenario), the pickled provider."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from typing import Any

import pulumi
import pytest

from aem_pulumi.dynamic.port_forward import PortForwardProvider

PORT_FORWARD = "pulumi-python:dynamic/aem:PortForward"
SECRET = "pulumi-python:dynamic/aem:EnvironmentSecret"
VARIABLE = "pulumi-python:dynamic/aem:EnvironmentVariable"
SECRET_SIG = "4dabf18193072939515e22adb298388d"

# The seed's OSGi JSON (Adobe's guide); `smtp.user` is read as a string variable there.
SEED = {
    "smtp.host": "$[env:AEM_PROXY_HOST;default=proxy.tunnel]",
    "smtp.port": "30465",
    "smtp.user": "$[env:EMAIL_USERNAME;default=myApiKey]",
    "smtp.password": "$[secret:EMAIL_PASSWORD]",
    "from.address": "noreply@wknd.site",
    "smtp.ssl": True,
    "smtp.starttls": False,
    "smtp.requiretls": False,
    "debug.email": False,
    "oauth.flow": False,
}


class Mocks(pulumi.runtime.Mocks):
    """Records every resource; a PortForward's outputs come from the real provider's `check`."""

    def __init__(self) -> None:
        self.created: list[pulumi.runtime.MockResourceArgs] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append(args)
        outputs = dict(args.inputs)
        if args.typ == PORT_FORWARD:
            plain = {k: v for k, v in outputs.items() if k != "__provider"}
            outputs = {**outputs, **PortForwardProvider().check({}, plain).inputs}
        return f"{args.name}-id", outputs

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@pytest.fixture
def mocks() -> Mocks:
    recorded = Mocks()
    pulumi.runtime.set_mocks(recorded, preview=False)
    return recorded


def _mail(name: str = "mail", **overrides: Any) -> Any:
    from aem_pulumi import MailService

    args: dict[str, Any] = {
        "program_id": "10001",
        "environment_id": "20001",
        "smtp_host": "smtp.mymail.com",
        "from_address": "noreply@wknd.site",
        "username": "myApiKey",
        "password": "password123",
        "app_name": "wknd-examples",
    }
    return MailService(name, **{**args, **overrides})


@pulumi.runtime.test
def test_default_mail_service_json__seed_scenario(mocks: Mocks) -> Any:
    def check(text: str) -> None:
        config = json.loads(text)
        assert set(config) == set(SEED)
        # Same as the seed, except the user placeholder has no hard-coded default value.
        assert config == {**SEED, "smtp.user": "$[env:EMAIL_USERNAME]"}

    return _mail().default_mail_service_json.apply(check)


@pulumi.runtime.test
def test_default_mail_service_json__port_587_uses_starttls(mocks: Mocks) -> Any:
    def check(text: str) -> None:
        config = json.loads(text)
        assert config["smtp.port"] == "30587"
        assert (config["smtp.ssl"], config["smtp.starttls"], config["smtp.requiretls"]) == (
            False,
            True,
            True,
        )

    return _mail(smtp_port=587).default_mail_service_json.apply(check)


@pulumi.runtime.test
def test_default_mail_service_json__secret_username_reads_secret(mocks: Mocks) -> Any:
    def check(text: str) -> None:
        config = json.loads(text)
        assert config["smtp.user"] == "$[secret:EMAIL_USERNAME]"
        assert config["smtp.password"] == "$[secret:EMAIL_PASSWORD]"

    return _mail(username_secret=True).default_mail_service_json.apply(check)


@pulumi.runtime.test
def test_default_mail_service_json__explicit_port_orig_and_names(mocks: Mocks) -> Any:
    mail = _mail(port_orig=30002, username_variable="SMTP_USER", password_variable="SMTP_PASS")

    def check(args: list[Any]) -> None:
        config = json.loads(args[0])
        assert args[1] == 30002
        assert config["smtp.port"] == "30002"
        assert config["smtp.user"] == "$[env:SMTP_USER]"
        assert config["smtp.password"] == "$[secret:SMTP_PASS]"

    return pulumi.Output.all(mail.default_mail_service_json, mail.port_orig).apply(check)


@pulumi.runtime.test
def test_osgi_config_path(mocks: Mocks) -> Any:
    def check(path: str) -> None:
        assert path == (
            "ui.config/src/jcr_root/apps/wknd-examples/osgiconfig/config/"
            "com.day.cq.mailer.DefaultMailService.cfg.json"
        )

    return _mail().osgi_config_path.apply(check)


@pulumi.runtime.test
def test_osgi_config_path__run_mode(mocks: Mocks) -> Any:
    def check(path: str) -> None:
        assert "/osgiconfig/config.publish.prod/com.day.cq.mailer" in path

    return _mail(run_mode="publish.prod").osgi_config_path.apply(check)


def test_mail_service__bad_run_mode(mocks: Mocks) -> None:
    with pytest.raises(ValueError, match="run_mode 'preview' is not author"):
        _mail(run_mode="preview")


@pulumi.runtime.test
def test_mail_service__children(mocks: Mocks) -> Any:
    mail = _mail("children")

    def check(text: str) -> None:
        # Only this test's resources: a previous test's children may still be registering.
        mine = [a for a in mocks.created if a.name.startswith("children-")]
        assert len(mine) == 3
        by_type = {args.typ: args for args in mine}
        assert set(by_type) == {PORT_FORWARD, SECRET, VARIABLE}
        forward = by_type[PORT_FORWARD].inputs
        assert (forward["host"], forward["port_dest"], forward["environment_id"]) == (
            "smtp.mymail.com",
            465,
            "20001",
        )
        assert by_type[VARIABLE].inputs["name"] == "EMAIL_USERNAME"
        assert by_type[SECRET].inputs["name"] == "EMAIL_PASSWORD"
        assert "password123" not in text
        assert "myApiKey" not in text

    children = [mail.port_forward.id, mail.username_resource.id, mail.password_secret.id]
    return pulumi.Output.all(mail.default_mail_service_json, *children).apply(
        lambda values: check(values[0])
    )


@pulumi.runtime.test
def test_pickled_provider__small_secret_free_and_loadable(
    mocks: Mocks, monkeypatch: pytest.MonkeyPatch
) -> Any:
    monkeypatch.setenv("AEM_CLIENT_SECRET", "do-not-pickle-me-0123456789")
    mail = _mail("pickled")

    def check(_: Any) -> None:
        forward = next(a for a in mocks.created if a.name == "pickled-smtp")
        envelope = forward.inputs["__provider"]
        raw = envelope["value"] if isinstance(envelope, dict) else envelope
        if isinstance(envelope, dict):
            assert envelope[SECRET_SIG]  # serialized as a secret
        blob = base64.b64decode(raw)
        assert len(blob) < 512
        assert b"do-not-pickle-me" not in blob
        assert b"aem-emulator-secret" not in blob
        loaded = subprocess.run(
            [sys.executable, "-c", _LOAD],
            input=raw,
            capture_output=True,
            text=True,
            check=True,
            cwd="/",
        )
        assert loaded.stdout.strip() == "PortForwardProvider"

    return mail.port_forward.port_orig.apply(check)  # resolves once the child registered


_LOAD = (
    "import base64, sys, dill; print(type(dill.loads(base64.b64decode(sys.stdin.read()))).__name__)"
)


NETWORKING = "pulumi-python:dynamic/aem:EnvironmentAdvancedNetworking"
VARIABLES = "pulumi-python:dynamic/aem:EnvironmentVariables"


@pulumi.runtime.test
def test_mail_service__through_the_bulk_resources(mocks: Mocks) -> Any:
    from aem_pulumi import EnvironmentAdvancedNetworking, EnvironmentVariables

    networking = EnvironmentAdvancedNetworking(
        "networking", program_id="10001", environment_id="20001", port_forwards=[]
    )
    variables = EnvironmentVariables(
        "variables", program_id="10001", environment_id="20001", variables={"OTHER": "x"}
    )
    mail = _mail("bulk", networking=networking, variables=variables)

    def check(_: Any) -> None:
        kinds = [a.typ for a in mocks.created]
        assert PORT_FORWARD not in kinds and SECRET not in kinds and VARIABLE not in kinds
        (rules,) = [a.inputs["port_forwards"] for a in mocks.created if a.typ == NETWORKING]
        assert rules == [{"host": "smtp.mymail.com", "port_dest": 465, "port_orig": 30465}]
        (bulk,) = [a.inputs for a in mocks.created if a.typ == VARIABLES]
        assert bulk["variables"] == {"OTHER": "x", "EMAIL_USERNAME": "myApiKey"}
        secrets = bulk["secrets"]
        assert secrets[SECRET_SIG]  # sent as a secret
        assert secrets["value"] == {"EMAIL_PASSWORD": "password123"}

    return pulumi.Output.all(networking.urn, variables.urn, mail.port_orig).apply(check)


def test_mail_service__networking_without_a_list_is_refused(mocks: Mocks) -> None:
    from aem_pulumi import EnvironmentAdvancedNetworking

    networking = EnvironmentAdvancedNetworking("n", program_id="10001", environment_id="20001")

    with pytest.raises(
        ValueError, match="needs an EnvironmentAdvancedNetworking with a port_forwards list"
    ):
        _mail("bulk", networking=networking)
