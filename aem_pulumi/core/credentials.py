"""Where the providers' credentials come from: the `aem:*` stack configuration, else `AEM_*`.

They live in the provider process only: never in resource inputs, state or messages.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from typing import Any

from aem_pulumi.client import CloudManagerClient
from aem_pulumi.client.settings import ENV_NAMES, ClientSettings, config_key

_lock = threading.Lock()
_clients: dict[tuple[str, ...], CloudManagerClient] = {}


def stack_settings(config: Mapping[str, Any]) -> dict[str, str]:
    """The `aem:*` keys set in `config` (full keys such as `aem:clientId`), by setting name."""
    found = {}
    for key in ENV_NAMES:
        value = config.get(f"aem:{config_key(key)}")
        if value not in (None, ""):
            found[key] = str(value)
    return found


def client_for(explicit: Mapping[str, str]) -> CloudManagerClient:
    """The shared, thread-safe client for these settings (missing ones from `AEM_*`)."""
    settings = ClientSettings.resolve(dict(explicit))
    key = (
        settings.api_url,
        settings.ims_url,
        settings.client_id,
        settings.client_secret.get_secret_value(),
        settings.org_id,
        settings.scopes,
    )
    with _lock:
        if key not in _clients:
            _clients[key] = CloudManagerClient(settings)
        return _clients[key]


class Credentials:
    """One provider's settings (the dynamic provider has one per process; the plugin, one per
    provider instance)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._explicit: dict[str, str] = {}

    def configure(self, config: Mapping[str, Any]) -> None:
        """Remember the `aem:*` settings given in `config`."""
        found = stack_settings(config)
        with self._lock:
            self._explicit = found

    def client(self) -> CloudManagerClient:
        """The client for the configured settings, else `AEM_*`; fails naming a missing one."""
        with self._lock:
            explicit = dict(self._explicit)
        return client_for(explicit)
