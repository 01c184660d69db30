"""IMS's token endpoint and the API gateway's checks of every `/api` call."""

from __future__ import annotations

import hashlib
import secrets

from flask import Blueprint, Response, request

from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import ApiError
from aem_pulumi.emulator.records import State, TokenRecord
from aem_pulumi.emulator.wire import json_response

CLIENT_ID = "aem-emulator-client"
CLIENT_SECRET = "aem-emulator-secret"  # the emulator's published demo secret, not a real one
ORG_ID = "EMULATOR0000000000000000@AdobeOrg"
TOKEN_PATH = "/ims/token/v3"
# The scopes the emulator's credentials may have: those Adobe's Cloud Manager CLI documents for
# OAuth server-to-server credentials (adobe/aio-cli-plugin-cloudmanager README).
ALLOWED_SCOPES = (
    "openid",
    "AdobeID",
    "read_organizations",
    "additional_info.projectedProductContext",
    "read_pc.dma_aem_ams",
)

blueprint = Blueprint("auth", __name__)


@blueprint.post(TOKEN_PATH)
def issue_token() -> Response:
    """OAuth server-to-server: a bearer token for the emulator's client credentials."""
    refused = _refusal(request.values.get("grant_type"), request.values.get("client_id"))
    if refused is None and request.values.get("client_secret") != CLIENT_SECRET:
        refused = _ims_error(401, "invalid_client", "invalid client_secret parameter")
    if refused is None:
        refused = _scope_refusal(request.values.get("scope"))
    if refused is not None:
        return refused
    token = secrets.token_urlsafe(32)
    emulator = current()
    with emulator.store.transaction() as transaction:
        _forget_expired(transaction.state, transaction.now)
        expires = transaction.now + emulator.token_ttl
        transaction.state.tokens[_digest(token)] = TokenRecord(client_id=CLIENT_ID, expires=expires)
    body = {"access_token": token, "token_type": "bearer", "expires_in": int(emulator.token_ttl)}
    return json_response(body)


def _refusal(grant_type: str | None, client_id: str | None) -> Response | None:
    """IMS's answer to a wrong grant type or an unknown client, None when both are right."""
    if grant_type != "client_credentials":
        description = "grant_type must be client_credentials"
        return _ims_error(400, "unsupported_grant_type", description)
    if client_id != CLIENT_ID:
        return _ims_error(400, "invalid_client", "invalid client_id parameter")
    return None


def _scope_refusal(scope: str | None) -> Response | None:
    """IMS's `invalid_scope` for a missing scope or one the credentials may not have."""
    asked = [name.strip() for name in (scope or "").split(",") if name.strip()]
    if not asked:
        return _ims_error(400, "invalid_scope", "scope parameter is missing")
    unknown = [name for name in asked if name not in ALLOWED_SCOPES]
    if unknown:
        description = f"invalid scope(s) for this client: {', '.join(unknown)}"
        return _ims_error(400, "invalid_scope", description)
    return None


def _ims_error(status: int, error: str, description: str) -> Response:
    """An IMS error body."""
    return json_response({"error": error, "error_description": description}, status)


def _forget_expired(state: State, now: float) -> None:
    """Drop expired tokens so the state does not grow."""
    for digest in [d for d, token in state.tokens.items() if token.expires <= now]:
        del state.tokens[digest]


def _digest(token: str) -> str:
    """How a token is stored: never in clear."""
    return hashlib.sha256(token.encode()).hexdigest()


@blueprint.before_app_request
def authenticate() -> None:
    """The gateway's checks of an `/api` call: API key, bearer token, then organisation."""
    if not request.path.startswith("/api/"):
        return
    if request.headers.get("x-api-key") != CLIENT_ID:
        raise _gateway_error(403, "403003", "Api Key is invalid")
    if not _token_valid(request.headers.get("Authorization", "")):
        raise _gateway_error(401, "401013", "Oauth token is not valid")
    if request.headers.get("x-gw-ims-org-id") != ORG_ID:
        message = "Organization in x-gw-ims-org-id is not valid for this client"
        raise _gateway_error(403, "403027", message)


def _token_valid(authorization: str) -> bool:
    """Whether the header carries a token this emulator issued, unexpired and not revoked."""
    scheme, _, token = authorization.partition(" ")
    if scheme.lower() != "bearer" or not token:
        return False
    with current().store.transaction() as transaction:
        record = transaction.state.tokens.get(_digest(token.strip()))
        return record is not None and transaction.now < record.expires


def _gateway_error(status: int, code: str, message: str) -> ApiError:
    """The API gateway's own error shape."""
    return ApiError(status, {"error_code": code, "message": message})
