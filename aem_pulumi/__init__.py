"""aem-pulumi: manage AEM as a Cloud Service networking and secrets with Pulumi.

The resource classes are imported lazily: the emulator and the client do not need Pulumi loaded,
and the provider process (which re-imports this package) does no work at import time.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "AdvancedNetworking": "aem_pulumi.dynamic.advanced_networking",
    "EnvironmentAdvancedNetworking": "aem_pulumi.dynamic.environment_advanced_networking",
    "PortForward": "aem_pulumi.dynamic.port_forward",
    "EnvironmentSecret": "aem_pulumi.dynamic.variables",
    "EnvironmentVariable": "aem_pulumi.dynamic.variables",
    "EnvironmentVariables": "aem_pulumi.dynamic.environment_variables",
    "MailService": "aem_pulumi.components.mail",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'aem_pulumi' has no attribute {name!r}")
