"""Environment operations against the emulator, and real-world answers from a stub."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, NotFoundError, UnreadableResponseError
from tests.client.stub import Answer, StubCloudManager


def test_list_environments(client: CloudManagerClient) -> None:
    environments = client.list_environments("10001")
    assert {(e.id, e.type, e.status) for e in environments} == {
        ("20001", "dev", "ready"),
        ("20002", "stage", "ready"),
        ("20003", "prod", "ready"),
    }


def test_get_environment(client: CloudManagerClient) -> None:
    environment = client.get_environment("10001", "20001")
    assert (environment.id, environment.program_id, environment.region) == ("20001", "10001", "va7")


def test_get_environment__not_found(client: CloudManagerClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_environment("10001", "29999")
    assert caught.value.status == 404
    assert "/environment/29999" in str(caught.value)


# --- answers the emulator never gives, from a stub (tests/client/stub.py) --------------------


def test_list_environments__values_the_spec_does_not_list(
    stub: StubCloudManager, stub_client: CloudManagerClient
) -> None:
    # Shaped like aio-lib-cloudmanager's test data (rewritten): no status or region on some,
    # fields the spec does not list (namespace, cluster, availableLogs), and values it does not
    # list either (a type and a status added later).
    stub.answer(
        "GET",
        "/api/program/4/environments",
        Answer(
            body={
                "_embedded": {
                    "environments": [
                        {"id": "1", "programId": "4", "name": "prod", "type": "prod"},
                        {
                            "id": "2",
                            "programId": "4",
                            "name": "stage",
                            "type": "stage",
                            "status": "hibernated",
                            "availableLogs": [],
                            "namespace": "ns",
                            "cluster": "cs",
                        },
                        {"id": "3", "name": "edge", "type": "edgeDelivery", "status": "migrating"},
                    ]
                },
                "_totalNumberOfItems": 3,
            }
        ),
    )
    found = [(e.id, e.type, e.status) for e in stub_client.list_environments("4")]
    assert found == [
        ("1", "prod", None),
        ("2", "stage", "hibernated"),
        ("3", "edgeDelivery", "migrating"),
    ]


def test_get_environment__not_json(stub: StubCloudManager, stub_client: CloudManagerClient) -> None:
    path = "/api/program/4/environment/1"
    stub.answer("GET", path, Answer(body=b"<html>maintenance</html>"))
    with pytest.raises(UnreadableResponseError) as caught:
        stub_client.get_environment("4", "1")
    assert (caught.value.field, str(caught.value)) == (
        "",
        f"GET {path} answered 200 with a body that cannot be read (the body is not JSON)",
    )
