"""`aem_pulumi.native` against `aem_pulumi`: switching a program is a one-line import change."""

from __future__ import annotations

import inspect
from typing import Any

import pulumi
import pytest

import aem_pulumi
import aem_pulumi.native


@pytest.mark.parametrize("name", aem_pulumi.__all__)
def test_signature__as_the_dynamic_class(name: str) -> None:
    dynamic = inspect.signature(getattr(aem_pulumi, name).__init__).parameters
    native = inspect.signature(getattr(aem_pulumi.native, name).__init__).parameters
    assert [(p.name, p.kind, p.default) for p in native.values()] == [
        (p.name, p.kind, p.default) for p in dynamic.values()
    ]


def test_exports__every_dynamic_class_and_the_plugin_extras() -> None:
    extras = {"Provider"} | {
        f"get_{lookup}{suffix}"
        for lookup in ("program", "environment", "network_infrastructure")
        for suffix in ("", "_output")
    }
    assert set(aem_pulumi.native.__all__) == set(aem_pulumi.__all__) | extras


class Mocks(pulumi.runtime.Mocks):
    """Records each resource's type and name."""

    def __init__(self) -> None:
        self.created: list[tuple[str, str]] = []

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        self.created.append((args.typ, args.name))
        return f"{args.name}-id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@pytest.fixture
def mocks() -> Mocks:
    recorded = Mocks()
    pulumi.runtime.set_mocks(recorded, preview=False)
    return recorded


@pulumi.runtime.test
def test_mail_service__children_are_the_plugin_resources(mocks: Mocks) -> Any:
    mail = aem_pulumi.native.MailService(
        "mail",
        program_id="10001",
        environment_id="20001",
        smtp_host="smtp.sendgrid.net",
        from_address="noreply@wknd.site",
        username="apikey",
        password="password123",
        app_name="wknd",
    )

    def check(_urns: list[str]) -> None:
        assert sorted(mocks.created) == [
            ("aem:index:EnvironmentSecret", "mail-password"),
            ("aem:index:EnvironmentVariable", "mail-username"),
            ("aem:index:MailService", "mail"),
            ("aem:index:PortForward", "mail-smtp"),
        ]

    children = (mail.port_forward, mail.username_resource, mail.password_secret)
    return pulumi.Output.all(*(child.urn for child in children)).apply(check)
