"""Environment variables and secrets (spec `Variable`, `EnvironmentVariableUpdate`)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, field_validator

from aem_pulumi.models.base import ApiModel, ResponseModel

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


class Variable(ResponseModel):
    """A variable as GET lists it; a `secretString` comes without its value.

    `type`, `service` and `status` are any string (the API may add values). `service` is None for
    an all-services variable, whether the API left it out or answered `""` (the real backend does;
    wcm-io's pippo had to handle it): the rest of the package sees one form.
    """

    name: str
    value: str | None = Field(default=None, repr=False)
    type: str = STRING
    service: str | None = None
    status: str | None = None

    @field_validator("service", mode="before")
    @classmethod
    def _all_services(cls, value: Any) -> Any:
        return None if value == "" else value


class VariableUpdate(ApiModel):
    """One item of the PATCH array: set `value`, or delete with an empty value (and the type)."""

    name: str = Field(min_length=NAME_MIN, max_length=NAME_MAX, pattern=NAME_PATTERN)
    value: str = Field(default="", max_length=VALUE_MAX, repr=False)
    type: VariableType | None = None
    service: Service | None = None


def variable_key(name: str, service: str | None) -> tuple[str, str | None]:
    """A variable's identity within an environment: its name and service (None = all)."""
    return (name, service)
