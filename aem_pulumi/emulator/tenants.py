"""The organisation's tenant (`getTenants`, `getTenant`) and its programs (`getProgramsForTenant`).

The spec deprecates `GET /api/programs` in favour of `GET /api/tenant/{t}/programs`.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.auth import ORG_ID
from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.errors import not_found
from aem_pulumi.emulator.programs import TENANT_ID, program_list, tenant_path
from aem_pulumi.emulator.wire import hal_list, json_response, link
from aem_pulumi.models.base import REL

TENANTS_PATH = "/api/tenants"

blueprint = Blueprint("tenants", __name__)


def tenant_body() -> dict[str, Any]:
    """The emulator's tenant (spec `Tenant`)."""
    path = tenant_path()
    return {
        "id": TENANT_ID,
        "imsOrgId": ORG_ID,
        "imsTenantId": TENANT_ID,
        "description": "The Cloud Manager emulator's tenant",
        "status": "ready",
        "_links": {
            "self": link(path).to_api(),
            f"{REL}programs": link(f"{path}/programs").to_api(),
        },
    }


def _ensure_tenant(tenant_id: str) -> None:
    """404 for any tenant but the emulator's."""
    if tenant_id != TENANT_ID:
        raise not_found(f"Tenant {tenant_id} not found")


@blueprint.get(TENANTS_PATH)
def get_tenants() -> Response:
    """The organisation's tenants: the emulator has one."""
    return json_response(hal_list("tenants", [tenant_body()], TENANTS_PATH))


@blueprint.get("/api/tenant/<tenant_id>")
def get_tenant(tenant_id: str) -> Response:
    """One tenant."""
    _ensure_tenant(tenant_id)
    return json_response(tenant_body())


@blueprint.get("/api/tenant/<tenant_id>/programs")
def get_programs_for_tenant(tenant_id: str) -> Response:
    """The tenant's programs."""
    _ensure_tenant(tenant_id)
    with current().store.transaction() as transaction:
        return json_response(program_list(transaction.state, f"{tenant_path(tenant_id)}/programs"))
