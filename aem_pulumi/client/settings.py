"""Where the client finds its endpoints and credentials: explicit values, else `AEM_*` variables."""

from __future__ import annotations

import os
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, SecretStr

from aem_pulumi.client.errors import ConfigurationError

DEFAULT_API_URL = "https://cloudmanager.adobe.io"
DEFAULT_IMS_URL = "https://ims-na1.adobelogin.com"
DEFAULT_SCOPES = (
    "openid,AdobeID,read_organizations,additional_info.projectedProductContext,read_pc.dma_aem_ams"
)

# setting name -> environment variable
ENV_NAMES = {
    "api_url": "AEM_API_URL",
    "ims_url": "AEM_IMS_URL",
    "client_id": "AEM_CLIENT_ID",
    "client_secret": "AEM_CLIENT_SECRET",
    "org_id": "AEM_ORG_ID",
    "scopes": "AEM_SCOPES",
}
_DEFAULTS = {"api_url": DEFAULT_API_URL, "ims_url": DEFAULT_IMS_URL, "scopes": DEFAULT_SCOPES}


class ClientSettings(BaseModel):
    """Endpoints and OAuth server-to-server credentials; the secret never shows in a repr."""

    model_config = ConfigDict(frozen=True)

    api_url: str
    ims_url: str
    client_id: str
    client_secret: SecretStr
    org_id: str
    scopes: str = DEFAULT_SCOPES

    @classmethod
    def resolve(
        cls, explicit: Mapping[str, str | None] | None = None, env: Mapping[str, str] | None = None
    ) -> ClientSettings:
        """Each setting from `explicit`, else `AEM_*`, else its default; or fail naming it."""
        explicit = explicit or {}
        env = os.environ if env is None else env
        values: dict[str, str] = {}
        for key, var in ENV_NAMES.items():
            value = explicit.get(key) or env.get(var) or _DEFAULTS.get(key)
            if not value:
                raise ConfigurationError(
                    f"{var} is not set: give it in the environment or as aem:{config_key(key)} "
                    "in the stack configuration"
                )
            values[key] = value
        return cls(**{**values, "client_secret": SecretStr(values["client_secret"])})


def config_key(key: str) -> str:
    """The stack configuration key of a setting: `client_secret` -> `clientSecret`."""
    head, *rest = key.split("_")
    return head + "".join(part.capitalize() for part in rest)
