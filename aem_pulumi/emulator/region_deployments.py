"""The regions an environment runs in (`getRegionDeployments`, `getRegionDeployment`).

An infrastructure can only go in a region where the production environment runs.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from aem_pulumi.emulator.context import current
from aem_pulumi.emulator.environments import environment_path, find_environment
from aem_pulumi.emulator.errors import not_found
from aem_pulumi.emulator.records import EnvironmentRecord, RegionDeploymentRecord
from aem_pulumi.emulator.wire import hal_list, json_response, link, timestamp

PATH = "/api/program/<program_id>/environment/<environment_id>/regionDeployments"
COMPLETE = "COMPLETE"

blueprint = Blueprint("region_deployments", __name__)


def deployments_path(env: EnvironmentRecord) -> str:
    """The API path of an environment's region deployments."""
    return f"{environment_path(env.program_id, env.id)}/regionDeployments"


def deployment_body(env: EnvironmentRecord, deployment: RegionDeploymentRecord) -> dict[str, Any]:
    """A region deployment (spec `RegionDeployment`); the emulator's are always `COMPLETE`."""
    return {
        "id": deployment.id,
        "environmentId": env.id,
        "region": deployment.region,
        "type": deployment.type,
        "status": COMPLETE,
        "createdAt": timestamp(deployment.created),
        "updatedAt": timestamp(deployment.created),
        "_links": {"self": link(f"{deployments_path(env)}/{deployment.id}").to_api()},
    }


@blueprint.get(PATH)
def get_region_deployments(program_id: str, environment_id: str) -> Response:
    """The regions the environment runs in, primary first."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        items = [deployment_body(env, deployment) for deployment in env.region_deployments]
        return json_response(hal_list("regionDeployments", items, deployments_path(env)))


@blueprint.get(f"{PATH}/<deployment_id>")
def get_region_deployment(program_id: str, environment_id: str, deployment_id: str) -> Response:
    """One region deployment of the environment."""
    with current().store.transaction() as transaction:
        env = find_environment(transaction.state, program_id, environment_id)
        for deployment in env.region_deployments:
            if deployment.id == deployment_id:
                return json_response(deployment_body(env, deployment))
    title = f"Region deployment {deployment_id} not found in environment {environment_id}"
    raise not_found(title)
