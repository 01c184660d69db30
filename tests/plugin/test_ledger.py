"""The plugin's stack ledger: objects of resources stored in camelCase (the plugin's state)."""

from __future__ import annotations

from typing import Any

from aem_pulumi.dynamic import ledger as dynamic_ledger
from aem_pulumi.plugin.ledger import snake_case

RULE = {"programId": "10001", "environmentId": "20001", "host": "h", "portDest": 465}


def _export(*resources: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "deployment": {
            "resources": [
                {"urn": urn, "type": urn.split("::")[-2].rpartition("$")[2], "outputs": outputs}
                for urn, outputs in resources
            ]
        }
    }


def test_snake_case__plugin_resources_hold_their_objects() -> None:
    exported = _export(
        ("urn:pulumi:dev::p::aem:index:PortForward::smtp", {**RULE, "portOrig": 30465}),
        (
            "urn:pulumi:dev::p::aem:index:MailService$aem:index:PortForward::mail-smtp",
            {**RULE, "portOrig": 30587},
        ),
    )
    index = dynamic_ledger._index(snake_case(exported))
    assert index[("port forward", "10001", "20001", "30465")] == ["PortForward 'smtp'"]
    assert index[("port forward", "10001", "20001", "30587")] == [
        "PortForward 'mail-smtp' in MailService"
    ]
