"""`Provider`: an explicit `aem` provider instance with its own Cloud Manager credentials."""

from __future__ import annotations

import pulumi

from aem_pulumi.native.resource import PACKAGE
from aem_pulumi.plugin.names import to_camel, to_snake


class Provider(pulumi.ProviderResource):
    """Credentials for the resources given it as `opts.provider`; unset ones fall back to
    `AEM_*` in the plugin's environment (the `aem:*` stack configuration is the default
    provider's)."""

    def __init__(
        self,
        resource_name: str,
        *,
        api_url: pulumi.Input[str] | None = None,
        ims_url: pulumi.Input[str] | None = None,
        client_id: pulumi.Input[str] | None = None,
        client_secret: pulumi.Input[str] | None = None,
        org_id: pulumi.Input[str] | None = None,
        scopes: pulumi.Input[str] | None = None,
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        props = {
            "api_url": api_url,
            "ims_url": ims_url,
            "client_id": client_id,
            "client_secret": pulumi.Output.secret(client_secret) if client_secret else None,
            "org_id": org_id,
            "scopes": scopes,
        }
        super().__init__(PACKAGE, resource_name, props, opts)

    def translate_input_property(self, prop: str) -> str:
        """`client_id` -> `clientId`."""
        return to_camel(prop)

    def translate_output_property(self, prop: str) -> str:
        """`clientId` -> `client_id`."""
        return to_snake(prop)
