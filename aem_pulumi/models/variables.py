"""Environment variables and secrets (spec `Variable`, `EnvironmentVariableUpdate`)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from aem_pulumi.models.base import ApiModel

VariableType = Literal["string", "secretString"]
Service = Literal["author", "publish", "preview"]
SERVICES: tuple[Service, ...] = ("author", "publish", "preview")
STRING: VariableType = "string"
SECRET: VariableType = "secretString"

NAME_PATTERN = r"^[a-zA-Z_][a-zA-Z_0-9]*$"
NAME_MIN, NAME_MAX = 2, 100
VALUE_MAX = 2048
SECRET_VALUE_MAX = 499  # "must be less than 500 characters"
MAX_VARIABLES = 200


class Variable(ApiModel):
    """A variable as GET lists it; a `secretString` comes without its value."""

    name: str
    value: str | None = Field(default=None, repr=False)
    type: VariableType = STRING
    service: Service | None = None
    status: str | None = None


class VariableUpdate(ApiModel):
    """One item of the PATCH array: set `value`, or delete with an empty value (and the type)."""

    name: str = Field(min_length=NAME_MIN, max_length=NAME_MAX, pattern=NAME_PATTERN)
    value: str = Field(default="", max_length=VALUE_MAX, repr=False)
    type: VariableType | None = None
    service: Service | None = None


def variable_key(name: str, service: str | None) -> tuple[str, str | None]:
    """A variable's identity within an environment: its name and service (None = all)."""
    return (name, service)
