"""Environment variable operations against the emulator."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, ValidationError
from aem_pulumi.models.variables import VariableUpdate


def test_patch_variables(client: CloudManagerClient) -> None:
    client.patch_variables(
        "10001",
        "20001",
        [
            VariableUpdate(name="EMAIL_USERNAME", value="apikey"),
            VariableUpdate(name="EMAIL_PASSWORD", value="password123", type="secretString"),
            VariableUpdate(name="EMAIL_USERNAME", value="author-key", service="author"),
        ],
    )
    found = {(v.name, v.service): v for v in client.list_variables("10001", "20001")}
    assert set(found) == {
        ("EMAIL_USERNAME", None),
        ("EMAIL_PASSWORD", None),
        ("EMAIL_USERNAME", "author"),
    }
    assert found["EMAIL_USERNAME", None].value == "apikey"
    assert found["EMAIL_PASSWORD", None].type == "secretString"
    assert found["EMAIL_PASSWORD", None].value is None  # write-only


def test_patch_variables__empty_value_deletes(client: CloudManagerClient) -> None:
    secret = VariableUpdate(name="EMAIL_PASSWORD", value="password123", type="secretString")
    client.patch_variables("10001", "20001", [secret])
    client.patch_variables("10001", "20001", [secret.model_copy(update={"value": ""})])
    assert client.list_variables("10001", "20001") == []


def test_patch_variables__secret_delete_without_type(client: CloudManagerClient) -> None:
    secret = VariableUpdate(name="EMAIL_PASSWORD", value="password123", type="secretString")
    client.patch_variables("10001", "20001", [secret])
    with pytest.raises(ValidationError) as caught:
        client.patch_variables("10001", "20001", [VariableUpdate(name="EMAIL_PASSWORD")])
    assert [(p.name, p.reason) for p in caught.value.invalid_params] == [
        ("[0].type", "EMAIL_PASSWORD is a secretString: send type secretString to delete it")
    ]


def test_list_variables__empty(client: CloudManagerClient) -> None:
    assert client.list_variables("10001", "20002") == []
