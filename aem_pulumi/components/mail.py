"""`MailService`: the seed's mail set-up (port forward, credentials, DefaultMailService OSGi JSON)."""

from __future__ import annotations

import functools
import json
import re
from typing import Any, ClassVar

import pulumi

from aem_pulumi.core.writer.networking import default_port_orig
from aem_pulumi.dynamic.environment_advanced_networking import EnvironmentAdvancedNetworking
from aem_pulumi.dynamic.environment_variables import EnvironmentVariables
from aem_pulumi.dynamic.port_forward import PortForward
from aem_pulumi.dynamic.variables import EnvironmentSecret, EnvironmentVariable

PID = "com.day.cq.mailer.DefaultMailService"
PROXY_HOST = "$[env:AEM_PROXY_HOST;default=proxy.tunnel]"
SSL_PORT = 465
_RUN_MODE = re.compile(r"^(author|publish)(\.(dev|stage|prod))?$|^(dev|stage|prod)$")


def default_mail_service_config(
    *,
    port_orig: int,
    smtp_port: int,
    from_address: str,
    username_variable: str,
    password_variable: str,
    username_secret: bool,
    ssl: bool | None,
) -> dict[str, Any]:
    """The OSGi properties, keys and value forms as in Adobe's guide; placeholders match types.

    A `string` variable is read with `$[env:...]`, a `secretString` with `$[secret:...]`: AEM
    never resolves a secret through `$[env:...]` (the guide itself gets this wrong).
    """
    use_ssl = smtp_port == SSL_PORT if ssl is None else ssl
    user = f"$[secret:{username_variable}]" if username_secret else f"$[env:{username_variable}]"
    return {
        "smtp.host": PROXY_HOST,
        "smtp.port": str(port_orig),
        "smtp.user": user,
        "smtp.password": f"$[secret:{password_variable}]",
        "from.address": from_address,
        "smtp.ssl": use_ssl,
        "smtp.starttls": not use_ssl,
        "smtp.requiretls": not use_ssl,
        "debug.email": False,
        "oauth.flow": False,
    }


def osgi_config_path(app_name: str, run_mode: str | None) -> str:
    """Where the configuration goes in the project's `ui.config` module."""
    folder = f"config.{run_mode}" if run_mode else "config"
    return f"ui.config/src/jcr_root/apps/{app_name}/osgiconfig/{folder}/{PID}.cfg.json"


def _port_orig(smtp_port: int, port_orig: int | None) -> int:
    """The given port_orig, else the convention 30000 + smtp_port; refused at construction (so
    at preview) when neither fits."""
    if port_orig is not None:
        return port_orig
    default = default_port_orig(smtp_port)
    if default is None:
        raise ValueError(
            f"MailService: port_orig is required: 30000 + smtp_port ({30000 + smtp_port}) lies "
            "outside 30000-30999"
        )
    return default


def _check_run_mode(run_mode: str | None) -> None:
    if run_mode is not None and not _RUN_MODE.match(run_mode):
        raise ValueError(
            f"MailService: run_mode '{run_mode}' is not author, publish, dev, stage, prod "
            "or author/publish.dev/stage/prod (config.preview cannot be declared)"
        )


class MailService(pulumi.ComponentResource):
    """Sends AEM mail through a port forward: the rule, the credentials and the OSGi JSON."""

    default_mail_service_json: pulumi.Output[str]
    osgi_config_path: pulumi.Output[str]
    port_orig: pulumi.Output[int]
    port_forward: PortForward
    """The SMTP port forward (child; absent with `networking`)."""
    username_resource: EnvironmentVariable | EnvironmentSecret
    """The username variable, or secret with `username_secret=True` (child; absent with
    `variables`)."""
    password_secret: EnvironmentSecret
    """The password secret (child; absent with `variables`)."""
    # The children's classes: the dynamic resources here; `aem_pulumi.native.MailService` (and
    # the plugin's Construct, for other languages) swaps in the plugin's classes.
    _port_forward_class: ClassVar[Any] = PortForward
    _variable_class: ClassVar[Any] = EnvironmentVariable
    _secret_class: ClassVar[Any] = EnvironmentSecret

    def __init__(
        self,
        resource_name: str,
        *,
        program_id: pulumi.Input[str],
        environment_id: pulumi.Input[str],
        smtp_host: pulumi.Input[str],
        smtp_port: int = SSL_PORT,
        port_orig: int | None = None,
        from_address: pulumi.Input[str],
        username: pulumi.Input[str],
        password: pulumi.Input[str],
        username_secret: bool = False,
        username_variable: str = "EMAIL_USERNAME",
        password_variable: str = "EMAIL_PASSWORD",
        ssl: bool | None = None,
        app_name: pulumi.Input[str],
        run_mode: str | None = None,
        adopt: bool = False,
        networking: EnvironmentAdvancedNetworking | None = None,
        variables: EnvironmentVariables | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        """The children by default; with `networking` (an `EnvironmentAdvancedNetworking` with a
        `port_forwards` list) the rule joins that list, and with `variables` (an
        `EnvironmentVariables` of the environment) the username and password join that set, so
        a whole environment costs one networking and one variables update."""
        super().__init__("aem:index:MailService", resource_name, None, opts)
        _check_run_mode(run_mode)
        port_orig = _port_orig(smtp_port, port_orig)
        # Children wait for what the component waits for (e.g. EnvironmentAdvancedNetworking).
        child = pulumi.ResourceOptions(parent=self, depends_on=opts.depends_on if opts else None)
        if networking is None:
            self.port_forward = self._port_forward_class(
                f"{resource_name}-smtp",
                program_id=program_id,
                environment_id=environment_id,
                host=smtp_host,
                port_dest=smtp_port,
                port_orig=port_orig,
                adopt=adopt,
                opts=child,
            )
        else:  # one rule more in the environment's list: no write of its own (issue 13)
            networking.add_port_forward(
                {"host": smtp_host, "port_dest": smtp_port, "port_orig": port_orig}
            )
        password_value = pulumi.Output.secret(password)
        if variables is None:
            user_class = self._secret_class if username_secret else self._variable_class
            self.username_resource = user_class(
                f"{resource_name}-username",
                program_id=program_id,
                environment_id=environment_id,
                name=username_variable,
                value=username,
                adopt=adopt,
                opts=child,
            )
            self.password_secret = self._secret_class(
                f"{resource_name}-password",
                program_id=program_id,
                environment_id=environment_id,
                name=password_variable,
                value=password_value,
                adopt=adopt,
                opts=child,
            )
        else:  # two variables more in the environment's set: no write of their own (issue 13)
            add_user = variables.add_secret if username_secret else variables.add_variable
            add_user(username_variable, username)
            variables.add_secret(password_variable, password_value)
        # From the component's own inputs, not the child's outputs: known at preview, and under
        # the unit-test mocks of Pulumi's testing guide (issue 10).
        self.port_orig = pulumi.Output.from_input(port_orig)
        render = functools.partial(
            default_mail_service_config,
            port_orig=port_orig,
            smtp_port=smtp_port,
            username_variable=username_variable,
            password_variable=password_variable,
            username_secret=username_secret,
            ssl=ssl,
        )
        self.default_mail_service_json = pulumi.Output.from_input(from_address).apply(
            lambda address: json.dumps(render(from_address=str(address)), indent=4)
        )
        self.osgi_config_path = pulumi.Output.from_input(app_name).apply(
            lambda app: osgi_config_path(app, run_mode)
        )
        self.register_outputs(
            {
                "default_mail_service_json": self.default_mail_service_json,
                "osgi_config_path": self.osgi_config_path,
                "port_orig": self.port_orig,
            }
        )
