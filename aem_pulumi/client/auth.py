"""OAuth server-to-server access tokens from Adobe IMS: fetched once, cached, renewed in time."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import requests

from aem_pulumi.client.errors import connection_error, make_error
from aem_pulumi.client.retry import RetryPolicy, call_with_retries
from aem_pulumi.client.settings import ClientSettings

log = logging.getLogger("aem_pulumi.client")

TOKEN_PATH = "/ims/token/v3"
RENEW_BEFORE_SECONDS = 300.0  # renew this long before expiry (or at 90 % of a short lifetime)


class TokenProvider:
    """Hands out a valid bearer token; thread-safe, one IMS call however many threads ask."""

    def __init__(
        self,
        settings: ClientSettings,
        session: requests.Session,
        *,
        timeout: tuple[float, float],
        retry: RetryPolicy,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._session = session
        self._timeout = timeout
        self._clock = clock
        self._retry = retry
        self._sleep = sleep
        self._lock = threading.Lock()
        self._token: str | None = None
        self._renew_at = 0.0

    def __repr__(self) -> str:
        return f"TokenProvider(ims_url={self._settings.ims_url!r})"

    def token(self) -> str:
        """A token that is not about to expire, fetching a new one when needed."""
        with self._lock:
            if self._token is None or self._clock() >= self._renew_at:
                self._token, lifetime = self._fetch()
                self._renew_at = self._clock() + _renew_after(lifetime)
            return self._token

    def invalidate(self, rejected: str) -> None:
        """Forget `rejected` (the API answered 401 to it) so the next call fetches anew."""
        with self._lock:
            if self._token == rejected:
                self._token = None

    def secrets(self) -> list[str]:
        """Values that must never appear in a message or a log line."""
        return [self._settings.client_secret.get_secret_value(), self._token or ""]

    def _fetch(self) -> tuple[str, float]:
        url = self._settings.ims_url.rstrip("/") + TOKEN_PATH
        form = {
            "client_id": self._settings.client_id,
            "client_secret": self._settings.client_secret.get_secret_value(),
            "grant_type": "client_credentials",
            "scope": self._settings.scopes,
        }
        log.info("requesting an access token from %s", self._settings.ims_url)
        # Asking for a token changes nothing on the server: safe to retry like a GET.
        response = call_with_retries(
            lambda: self._post(url, form),
            policy=self._retry,
            sleep=self._sleep,
            idempotent=True,
            make_error=lambda r: make_error(
                r, method="POST", path=TOKEN_PATH, sensitive=self.secrets()
            ),
            secrets=self.secrets,
        )
        body = response.json()
        return str(body["access_token"]), float(body.get("expires_in", 86399))

    def _post(self, url: str, form: dict[str, str]) -> requests.Response:
        try:
            return self._session.post(url, data=form, timeout=self._timeout)
        except requests.RequestException as exc:
            target = self._settings.ims_url
            raise connection_error(exc, method="POST", path=TOKEN_PATH, target=target) from None


def _renew_after(lifetime: float) -> float:
    """Seconds until a token of `lifetime` seconds should be renewed."""
    return max(0.0, min(lifetime - RENEW_BEFORE_SECONDS, lifetime * 0.9))
