"""aem-pulumi through the provider plugin `pulumi-resource-aem`: the same resource classes, with
the same keyword arguments and outputs, as `aem_pulumi`, plus `Provider` and the lookups.

Switching a program is one line: `import aem_pulumi.native as aem` for `import aem_pulumi as aem`
(and the state migration in docs/plugin.md). Imported lazily, as `aem_pulumi` is.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Provider": "aem_pulumi.native.provider",
    "AdvancedNetworking": "aem_pulumi.native.advanced_networking",
    "EnvironmentAdvancedNetworking": "aem_pulumi.native.environment_advanced_networking",
    "PortForward": "aem_pulumi.native.port_forward",
    "EnvironmentSecret": "aem_pulumi.native.variables",
    "EnvironmentVariable": "aem_pulumi.native.variables",
    "EnvironmentVariables": "aem_pulumi.native.environment_variables",
    "MailService": "aem_pulumi.native.mail",
    "get_program": "aem_pulumi.native.lookups",
    "get_program_output": "aem_pulumi.native.lookups",
    "get_environment": "aem_pulumi.native.lookups",
    "get_environment_output": "aem_pulumi.native.lookups",
    "get_network_infrastructure": "aem_pulumi.native.lookups",
    "get_network_infrastructure_output": "aem_pulumi.native.lookups",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'aem_pulumi.native' has no attribute {name!r}")
