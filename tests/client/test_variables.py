"""Environment variable operations against the emulator, and real-world answers from a stub."""

from __future__ import annotations

import pytest

from aem_pulumi.client import (
    CloudManagerClient,
    CloudManagerError,
    UnreadableResponseError,
    ValidationError,
)
from aem_pulumi.models.variables import VariableUpdate
from tests.client.stub import Answer, StubCloudManager


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


# --- answers the emulator never gives, from a stub (tests/client/stub.py) --------------------

VARIABLES_PATH = "/api/program/4/environment/1/variables"


def _variables(*items: dict[str, object]) -> Answer:
    """A variables list shaped like the real one (aio-lib-cloudmanager's test data, rewritten)."""
    return Answer(
        body={
            "_links": {"self": {"href": VARIABLES_PATH, "templated": False}},
            "_embedded": {"variables": list(items)},
            "_totalNumberOfItems": len(items),
        }
    )


def test_list_variables__all_services_as_empty_string(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # The real backend lists an all-services variable with "service": "" (wcm-io's pippo had
    # to handle it; behaviour page); Adobe's own SDK test data leaves `service` out instead.
    stub.answer(
        "GET",
        VARIABLES_PATH,
        _variables(
            {"name": "KEY", "value": "value", "type": "string", "service": "", "status": "ready"},
            {"name": "I_AM_A_SECRET", "type": "secretString"},
            {"name": "KEY", "value": "author-value", "type": "string", "service": "author"},
        ),
    )
    found = [(v.name, v.service) for v in stub_client.list_variables("4", "1")]
    assert found == [("KEY", None), ("I_AM_A_SECRET", None), ("KEY", "author")]


def test_list_variables__values_the_spec_does_not_list(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    stub.answer(
        "GET",
        VARIABLES_PATH,
        _variables(
            {"name": "FUTURE", "value": "x", "type": "json", "service": "edge", "status": "queued"},
            {"name": "OLD", "type": "string", "status": "deleted_failed", "createdBy": "ui"},
        ),
    )
    found = [(v.name, v.type, v.service, v.status) for v in stub_client.list_variables("4", "1")]
    assert found == [
        ("FUTURE", "json", "edge", "queued"),
        ("OLD", "string", None, "deleted_failed"),
    ]


def test_list_variables__unreadable_names_the_field(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    stub.answer(
        "GET",
        VARIABLES_PATH,
        Answer(
            body={"_embedded": {"variables": [{"name": "KEY", "value": "v"}, {"value": "v"}]}},
            headers={"x-request-id": "req-7"},
        ),
    )
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.list_variables("4", "1")
    assert isinstance(caught.value, CloudManagerError)
    assert (caught.value.method, caught.value.path) == ("GET", VARIABLES_PATH)
    assert caught.value.field == "_embedded.variables[1].name"
    assert str(caught.value) == (
        f"GET {VARIABLES_PATH} answered 200 with a body that cannot be read "
        "(_embedded.variables[1].name: Field required) [x-request-id req-7]"
    )


def test_list_variables__unreadable_value_is_not_echoed(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    secret = "hunter2-very-secret"
    stub.answer("GET", VARIABLES_PATH, _variables({"name": "PASSWORD", "value": {"v": secret}}))
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.list_variables("4", "1")
    assert str(caught.value) == (
        f"GET {VARIABLES_PATH} answered 200 with a body that cannot be read "
        "(_embedded.variables[0].value: Input should be a valid string)"
    )
