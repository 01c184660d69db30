"""The state a fresh (or reset) emulator starts from."""

from __future__ import annotations

from aem_pulumi.emulator.records import EnvironmentRecord, ProgramRecord, State


def seed_state() -> State:
    """Program 10001 `wknd` (va7, nld2) with ready environments dev, stage and prod in va7."""
    state = State()
    state.programs["10001"] = ProgramRecord(id="10001", name="wknd", regions=["va7", "nld2"])
    for env_id, env_type in (("20001", "dev"), ("20002", "stage"), ("20003", "prod")):
        state.environments[env_id] = EnvironmentRecord(
            id=env_id, program_id="10001", name=env_type, type=env_type, region="va7"
        )
    return state
