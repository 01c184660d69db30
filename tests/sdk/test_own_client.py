"""The project's own client does what Adobe's SDK does, on the same emulator, and each reads what
the other wrote."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, ValidationError
from aem_pulumi.models.base import REL
from aem_pulumi.models.variables import Variable, VariableUpdate

from .conftest import Sdk
from .test_adobe_sdk import DEV, PROD, PROGRAM, STAGE, STRINGS_AND_SECRETS

UPDATES = [VariableUpdate.model_validate(v) for v in STRINGS_AND_SECRETS]
Listed = tuple[str, str | None, str, str | None]


def _listed(variables: list[Variable]) -> list[Listed]:
    """(name, service, type, value) of each variable; `""` and absent both mean all services."""
    return [(v.name, v.service or None, v.type, v.value) for v in variables]


EXPECTED: list[Listed] = [
    ("MAIL_HOST", None, "string", "smtp.example.com"),
    ("MAIL_HOST", "publish", "string", "smtp-publish.example.com"),
    ("MAIL_PASSWORD", None, "secretString", None),
    ("MAIL_PASSWORD", "author", "secretString", None),
]


def test_get_program(client: CloudManagerClient) -> None:
    program = client.get_program(PROGRAM)
    assert (program.id, program.name) == (PROGRAM, "wknd")
    assert program.links is not None
    assert program.links[f"{REL}environments"].href == f"/api/program/{PROGRAM}/environments"


def test_list_environments(client: CloudManagerClient) -> None:
    listed = [(e.id, e.type, e.status) for e in client.list_environments(PROGRAM)]
    assert listed == [(DEV, "dev", "ready"), (STAGE, "stage", "ready"), (PROD, "prod", "ready")]


def test_patch_variables(client: CloudManagerClient) -> None:
    client.patch_variables(PROGRAM, DEV, UPDATES)
    assert _listed(client.list_variables(PROGRAM, DEV)) == EXPECTED


def test_patch_variables__delete(client: CloudManagerClient) -> None:
    client.patch_variables(PROGRAM, DEV, UPDATES)
    client.patch_variables(PROGRAM, DEV, [u.model_copy(update={"value": ""}) for u in UPDATES])
    assert client.list_variables(PROGRAM, DEV) == []


def test_patch_variables__invalid(client: CloudManagerClient) -> None:
    client.patch_variables(PROGRAM, DEV, UPDATES)
    with pytest.raises(ValidationError) as raised:
        client.patch_variables(PROGRAM, DEV, [VariableUpdate(name="MAIL_PASSWORD")])
    error = raised.value
    reasons = [(p.name, p.reason) for p in error.invalid_params]
    assert (error.status, error.title, reasons) == (
        400,
        "Constraint Violations",
        [("[0].type", "MAIL_PASSWORD is a secretString: send type secretString to delete it")],
    )


def test_list_variables__written_by_the_sdk(sdk: Sdk, client: CloudManagerClient) -> None:
    sdk.call("setEnvironmentVariables", PROGRAM, DEV, STRINGS_AND_SECRETS)
    assert _listed(client.list_variables(PROGRAM, DEV)) == EXPECTED


def test_patch_variables__read_by_the_sdk(sdk: Sdk, client: CloudManagerClient) -> None:
    client.patch_variables(PROGRAM, DEV, UPDATES)
    read = sdk.call("getEnvironmentVariables", PROGRAM, DEV)
    assert [(v["name"], v["service"] or None, v["type"], v.get("value")) for v in read] == EXPECTED
