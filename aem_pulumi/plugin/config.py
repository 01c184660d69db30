"""The provider configuration: `aem:apiUrl`, `aem:imsUrl`, `aem:clientId`, `aem:clientSecret`,
`aem:orgId`, `aem:scopes`, each falling back to its `AEM_*` variable (client/settings.py).

CheckConfig names a bad or missing key; Configure hands the values to the provider's own
`Credentials` (one per provider instance: the engine starts one plugin process per provider).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from aem_pulumi.client.settings import ENV_NAMES, config_key
from aem_pulumi.core.inputs import UNKNOWN

KEYS = {config_key(key): key for key in ENV_NAMES}
"""Wire key (`clientId`) -> setting name (`client_id`)."""
SECRET_KEYS = frozenset({"client_secret"})
_ENGINE_KEYS = frozenset({"version", "pluginDownloadURL"})
"""Keys the engine itself may add to a provider's inputs."""
_URLS = ("api_url", "ims_url")
_REQUIRED = ("client_id", "client_secret", "org_id")


@dataclass(frozen=True)
class ConfigFailure:
    """One bad or missing configuration key (`clientId`) and why."""

    key: str
    reason: str


def settings_from(props: Mapping[str, Any]) -> dict[str, str]:
    """Setting name -> value for the known, known-at-this-time keys in `props` (wire keys)."""
    found = {}
    for wire_key, value in props.items():
        setting = KEYS.get(wire_key)
        if setting is not None and value not in (None, "", UNKNOWN):
            found[setting] = str(value)
    return found


def check_config(
    props: Mapping[str, Any], env: Mapping[str, str] | None = None
) -> list[ConfigFailure]:
    """What is wrong with a provider's configuration (`props`: wire keys, secrets unwrapped)."""
    env = os.environ if env is None else env
    failures = [
        ConfigFailure(
            key,
            f"aem:{key} is not a configuration key of the aem provider; use one of "
            f"{', '.join('aem:' + k for k in KEYS)}",
        )
        for key in props
        if key not in KEYS and key not in _ENGINE_KEYS
    ]
    given = settings_from(props)
    unknown = {KEYS[k] for k, v in props.items() if k in KEYS and v == UNKNOWN}
    for setting in _URLS:
        value = given.get(setting) or env.get(ENV_NAMES[setting])
        if value and not value.startswith(("http://", "https://")):
            failures.append(_failure(setting, f"'{value}' is not an http(s) URL"))
    for setting in _REQUIRED:
        if setting not in given and setting not in unknown and not env.get(ENV_NAMES[setting]):
            failures.append(_failure(setting, "is not set"))
    return failures


def _failure(setting: str, problem: str) -> ConfigFailure:
    key = config_key(setting)
    where = f"set aem:{key} in the stack configuration (or {ENV_NAMES[setting]})"
    if setting in SECRET_KEYS:
        where = f"set it with `pulumi config set --secret aem:{key}` (or {ENV_NAMES[setting]})"
    return ConfigFailure(key, f"aem:{key} {problem}: {where}")


def as_stack_config(settings: Mapping[str, str]) -> dict[str, str]:
    """Settings as `core.credentials.Credentials.configure` reads them (`aem:clientId`)."""
    return {f"aem:{config_key(k)}": v for k, v in settings.items()}
