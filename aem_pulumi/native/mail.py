"""`MailService` through the plugin: the same component, its children the plugin's resources."""

from __future__ import annotations

from aem_pulumi.components import mail
from aem_pulumi.native.port_forward import PortForward
from aem_pulumi.native.variables import EnvironmentSecret, EnvironmentVariable


class MailService(mail.MailService):
    """As `aem_pulumi.MailService` (same arguments, outputs and child names), with children of
    types `aem:index:PortForward`, `aem:index:EnvironmentVariable` and
    `aem:index:EnvironmentSecret`. Built in the program's process; programs in other languages
    get the same component from the plugin (Construct)."""

    _port_forward_class = PortForward
    _variable_class = EnvironmentVariable
    _secret_class = EnvironmentSecret
