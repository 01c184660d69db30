"""The state a fresh (or reset) emulator starts from."""

from __future__ import annotations

import time

from aem_pulumi.emulator.records import (
    EnvironmentRecord,
    ProgramRecord,
    State,
    new_region_deployment,
)


def seed_state() -> State:
    """Program 10001 `wknd` (va7, nld2) with ready dev, stage and prod, each running in va7 only."""
    state, now = State(), time.time()
    state.programs["10001"] = ProgramRecord(id="10001", name="wknd", regions=["va7", "nld2"])
    for env_id, env_type in (("20001", "dev"), ("20002", "stage"), ("20003", "prod")):
        state.environments[env_id] = EnvironmentRecord(
            id=env_id,
            program_id="10001",
            name=env_type,
            type=env_type,
            region="va7",
            region_deployments=[new_region_deployment(state, "va7", primary=True, now=now)],
        )
    return state
