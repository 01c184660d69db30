"""Program and region operations against the emulator."""

from __future__ import annotations

import pytest

from aem_pulumi.client import CloudManagerClient, NotFoundError


def test_get_program(client: CloudManagerClient) -> None:
    program = client.get_program("10001")
    assert (program.id, program.name) == ("10001", "wknd")


def test_get_program__not_found(client: CloudManagerClient) -> None:
    with pytest.raises(NotFoundError) as caught:
        client.get_program("99999")
    assert caught.value.status == 404
    assert str(caught.value).startswith("GET /api/program/99999 failed with 404: ")
    assert caught.value.request_id


def test_list_regions(client: CloudManagerClient) -> None:
    assert sorted(r.name for r in client.list_regions("10001")) == ["nld2", "va7"]
