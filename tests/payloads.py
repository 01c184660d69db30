"""Request bodies several test folders use."""

from __future__ import annotations

from typing import Any


def vpn_body(region: str = "va7", shared_key: str = "s3cr3t-key", **changes: Any) -> dict[str, Any]:
    """A complete VPN infrastructure request."""
    body = {
        "kind": "vpn",
        "region": region,
        "addressSpace": ["10.104.182.64/26"],
        "dns": {"resolvers": ["10.151.201.22"]},
        "connections": [
            {
                "name": "corporate",
                "gateway": {"address": "195.231.212.78", "addressSpace": ["192.168.0.0/16"]},
                "sharedKey": shared_key,
                "ipsecPolicy": {
                    "dhGroup": "ECP256",
                    "ikeEncryption": "AES256",
                    "ikeIntegrity": "SHA256",
                    "ipsecEncryption": "AES256",
                    "ipsecIntegrity": "SHA256",
                    "pfsGroup": "None",
                    "saDatasize": 102400000,
                    "saLifetime": 3600,
                },
            }
        ],
    }
    return {**body, **changes}
