"""Environment operations against the emulator."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, NotFoundError


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
