"""A user's own unit test of a program with MailService, as Pulumi's testing guide writes one:
mocks whose outputs equal the inputs, no provider logic at all (issue 10)."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest


class GuideMocks(pulumi.runtime.Mocks):
    """The mocks of Pulumi's unit-testing guide: every resource's outputs are its inputs."""

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}_id", dict(args.inputs)

    def call(self, args: pulumi.runtime.MockCallArgs) -> dict[str, Any]:
        return {}


@pytest.fixture(autouse=True)
def guide_mocks() -> None:
    pulumi.runtime.set_mocks(GuideMocks(), preview=False)


def _program() -> Any:
    """A user's program: mail for the dev environment, port_orig left to its default."""
    from aem_pulumi import MailService

    return MailService(
        "mail",
        program_id="10001",
        environment_id="20001",
        smtp_host="smtp.sendgrid.net",
        smtp_port=587,
        from_address="noreply@wknd.site",
        username="apikey",
        password=pulumi.Output.secret("from-config"),
        app_name="wknd",
    )


@pulumi.runtime.test
def test_mail_service__json_under_guide_mocks() -> Any:
    def check(text: str) -> None:
        config = json.loads(text)
        assert config["smtp.port"] == "30587"
        assert config["smtp.host"] == "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
        assert config["smtp.password"] == "$[secret:EMAIL_PASSWORD]"

    return _program().default_mail_service_json.apply(check)


@pulumi.runtime.test
def test_mail_service__port_orig_under_guide_mocks() -> Any:
    mail = _program()

    def check(values: list[Any]) -> None:
        assert values == [30587, 30587]  # the component's own output, and what its child got

    return pulumi.Output.all(mail.port_orig, mail.port_forward.port_orig).apply(check)
