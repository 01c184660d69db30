"""Program stack: the program-wide network infrastructure (one per program, owned here).

Advanced networking is a program-level object in Cloud Manager while port forwards and variables
belong to one environment. With a stack per environment, the infrastructure is owned by this
separate program stack; the environment stacks read its outputs through a StackReference, so no
environment stack can delete the network another one uses.
"""

import pulumi

from aem_pulumi import AdvancedNetworking

config = pulumi.Config()
network = AdvancedNetworking(
    "network",
    program_id=config.require("programId"),
    kind=config.get("kind") or "flexiblePortEgress",
    region=config.require("region"),
)

pulumi.export("program_id", network.program_id)
pulumi.export("infrastructure_id", network.infrastructure_id)
pulumi.export("status", network.status)
