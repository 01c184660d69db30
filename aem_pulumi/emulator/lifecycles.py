"""Status lifecycles: what a record shows at an instant, and how its operation ends.

Statuses are computed from the wall clock and the start and end times stored with each
operation, so an operation under way when the process died ends on time after a restart.
"""

from __future__ import annotations

from aem_pulumi.emulator.records import (
    CREATING,
    DELETING,
    FAILED,
    READY,
    UPDATING,
    EnvironmentRecord,
    InfrastructureRecord,
    NetworkingRecord,
    PendingOperation,
    State,
    VariableRecord,
)

# The status an infrastructure shows while each operation is under way.
INFRASTRUCTURE_PENDING: dict[str, str] = {
    "infrastructure_create": CREATING,
    "infrastructure_update": UPDATING,
    "infrastructure_delete": DELETING,
}


def environment_status(env: EnvironmentRecord, now: float) -> str:
    """The status an environment shows at `now`."""
    if (env.operation is not None and now < env.operation.ends) or now < env.busy_until:
        return UPDATING
    return env.status


def infrastructure_status(infra: InfrastructureRecord, now: float) -> str:
    """The status an infrastructure shows at `now`."""
    operation = infra.operation
    if operation is not None and now < operation.ends:
        return INFRASTRUCTURE_PENDING[operation.name]
    return infra.status


def settle(state: State, now: float) -> None:
    """Apply the end of every operation whose time has come."""
    for env in state.environments.values():
        _settle_environment(env, now)
    for infra in list(state.infrastructures.values()):
        _settle_infrastructure(state, infra, now)


def _settle_environment(env: EnvironmentRecord, now: float) -> None:
    """End an environment's operation: ready, or failed with the networking rolled back."""
    operation = env.operation
    if operation is None or now < operation.ends:
        return
    env.operation = None
    if operation.name == "variables_update":
        _settle_variables(env, fails=operation.fails)
        env.status = READY
    elif operation.fails:
        previous = operation.previous
        env.networking = None if previous is None else NetworkingRecord.model_validate(previous)
        env.status = FAILED
    else:
        env.status = READY


def _settle_variables(env: EnvironmentRecord, *, fails: bool) -> None:
    """End a variables update: ready or removed, or `failed` for every variable it touched."""
    kept: list[VariableRecord] = []
    for variable in env.variables:
        pending, variable.pending = variable.pending, None
        if pending is not None and fails:
            variable.status = FAILED
        elif pending == DELETING:
            continue
        elif pending is not None:
            variable.status = READY
        kept.append(variable)
    env.variables = kept


def _settle_infrastructure(state: State, infra: InfrastructureRecord, now: float) -> None:
    """End an infrastructure's operation: ready, gone (deleted) or failed."""
    operation = infra.operation
    if operation is None or now < operation.ends:
        return
    infra.operation = None
    infra.updated = operation.ends
    if operation.fails:
        _fail_infrastructure(infra, operation)
    elif operation.name == "infrastructure_delete":
        del state.infrastructures[infra.id]
    else:
        infra.status = READY
        infra.status_details = None


def _fail_infrastructure(infra: InfrastructureRecord, operation: PendingOperation) -> None:
    """Mark an infrastructure failed, rolling back the settings a failed update changed."""
    if operation.previous is not None:
        infra.settings = operation.previous
    infra.status = FAILED
    verb = operation.name.removeprefix("infrastructure_")
    infra.status_details = {
        "errorCode": f"NETWORK_INFRASTRUCTURE_{verb.upper()}_FAILED",
        "message": f"Network infrastructure {infra.id}: {verb} failed (injected fault)",
    }
