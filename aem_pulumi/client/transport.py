"""HTTP plumbing shared by every operation: headers, time-outs, token renewal, retries, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests

from aem_pulumi.client.auth import TokenProvider
from aem_pulumi.client.errors import connection_error, make_error
from aem_pulumi.client.responses import M, read_list, read_one
from aem_pulumi.client.retry import RetryPolicy, call_with_retries
from aem_pulumi.client.settings import ClientSettings

log = logging.getLogger("aem_pulumi.client")

DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds
IDEMPOTENT_METHODS = frozenset({"GET", "PUT", "PATCH", "DELETE"})


class Transport:
    """Sends one logical API call, retrying per the policy; the base of every operation mixin."""

    def __init__(
        self,
        settings: ClientSettings,
        *,
        session: requests.Session | None = None,
        retry: RetryPolicy | None = None,
        timeout: tuple[float, float] = DEFAULT_TIMEOUT,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.settings = settings
        self._session = session or requests.Session()
        self._retry = retry or RetryPolicy()
        self._timeout = timeout
        self._sleep = sleep
        self._tokens = TokenProvider(
            settings, self._session, timeout=timeout, retry=self._retry, sleep=sleep
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_url={self.settings.api_url!r})"

    def _request(
        self, method: str, path: str, *, json: Any = None, sensitive: Iterable[str] = ()
    ) -> requests.Response:
        """Send `method path`; return the successful response or raise the typed error."""
        sensitive = list(sensitive)
        return call_with_retries(
            lambda: self._send_renewing(method, path, json),
            policy=self._retry,
            sleep=self._sleep,
            idempotent=method in IDEMPOTENT_METHODS,
            make_error=lambda r: make_error(
                r, method=method, path=path, sensitive=sensitive + self._tokens.secrets()
            ),
            secrets=lambda: sensitive + self._tokens.secrets(),
        )

    def _read(
        self,
        model: type[M],
        method: str,
        path: str,
        *,
        json: Any = None,
        sensitive: Iterable[str] = (),
    ) -> M:
        """Send `method path` and read the answer as `model` (`UnreadableResponseError` if not)."""
        sensitive = list(sensitive)
        response = self._request(method, path, json=json, sensitive=sensitive)
        secrets = sensitive + self._tokens.secrets()
        return read_one(model, response, method=method, path=path, sensitive=secrets)

    def _read_list(self, model: type[M], path: str, plural: str) -> list[M]:
        """GET a HAL list and read its `_embedded.<plural>` items as `model`."""
        response = self._request("GET", path)
        secrets = self._tokens.secrets()
        return read_list(model, response, plural, method="GET", path=path, sensitive=secrets)

    def _send_renewing(self, method: str, path: str, body: Any) -> requests.Response:
        """One attempt; a 401 (revoked or expired token) fetches a new token and sends once more."""
        token = self._tokens.token()
        response = self._send(method, path, body, token)
        if response.status_code == 401:
            log.info("%s %s answered 401; renewing the access token", method, path)
            self._tokens.invalidate(token)
            response = self._send(method, path, body, self._tokens.token())
        return response

    def _send(self, method: str, path: str, body: Any, token: str) -> requests.Response:
        headers = {
            "x-api-key": self.settings.client_id,
            "x-gw-ims-org-id": self.settings.org_id,
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
        }
        if method in ("POST", "PUT", "PATCH"):
            headers["Content-Type"] = "application/json"
        url = self.settings.api_url.rstrip("/") + path
        try:
            return self._session.request(
                method, url, json=body, headers=headers, timeout=self._timeout
            )
        except requests.RequestException as exc:
            target = self.settings.api_url
            raise connection_error(exc, method=method, path=path, target=target) from None
