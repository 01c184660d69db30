"""HTTP plumbing shared by every operation: headers, time-outs, token renewal, retries, errors."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from typing import Any

import requests
import urllib3

from aem_pulumi.client.auth import TokenProvider
from aem_pulumi.client.errors import APIConnectionError, APIError, make_error, redact
from aem_pulumi.client.retry import RetryPolicy
from aem_pulumi.client.settings import ClientSettings

log = logging.getLogger("aem_pulumi.client")

DEFAULT_TIMEOUT = (10.0, 60.0)  # (connect, read) seconds


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
        self._tokens = TokenProvider(settings, self._session, timeout=timeout)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(api_url={self.settings.api_url!r})"

    def _request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        sensitive: Iterable[str] = (),
    ) -> requests.Response:
        """Send `method path`; return the successful response or raise the typed error."""
        sensitive = list(sensitive)
        renewed = False
        attempt = 0
        while True:
            attempt += 1
            token = self._tokens.token()
            try:
                response = self._send(method, path, json, token)
            except APIConnectionError as exc:
                self._retry_or_raise(exc, attempt, None, self._may_retry_connection(exc))
                continue
            if response.ok:
                return response
            if response.status_code == 401 and not renewed:
                # A token can be revoked or expire early: fetch a new one, once.
                self._tokens.invalidate(token)
                renewed = True
                log.info("%s %s answered 401; renewing the access token", method, path)
                continue
            error = make_error(
                response, method=method, path=path, sensitive=sensitive + self._tokens.secrets()
            )
            retry_after = getattr(error, "retry_after", None)
            may = self._retry.may_retry_status(method, response.status_code)
            self._retry_or_raise(error, attempt, retry_after, may)

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
            raise APIConnectionError(
                f"{method} {path} got no answer from {self.settings.api_url}: {type(exc).__name__}",
                method=method,
                path=path,
                sent=not _never_sent(exc),
            ) from None

    def _may_retry_connection(self, exc: APIConnectionError) -> bool:
        return self._retry.may_retry_connection(exc.method, sent=exc.sent)

    def _retry_or_raise(
        self,
        error: APIError | APIConnectionError,
        attempt: int,
        retry_after: float | None,
        may: bool,
    ) -> None:
        if not may or attempt >= self._retry.max_attempts:
            raise error
        delay = self._retry.delay(attempt, retry_after)
        log.warning(
            "%s; retry %d of %d in %.1fs",
            redact(str(error), self._tokens.secrets()),
            attempt,
            self._retry.max_attempts - 1,
            delay,
        )
        self._sleep(delay)


def _never_sent(exc: requests.RequestException) -> bool:
    """True when the connection itself failed (refused, connect time-out): nothing was sent."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )
