"""Error bodies the Cloud Manager API and its gateway answer with."""

from __future__ import annotations

from pydantic import Field

from aem_pulumi.models.base import ApiModel, ResponseModel

ERROR_TYPE = "http://ns.adobe.com/adobecloud/error"
VALIDATION_EXCEPTION_TYPE = "http://ns.adobe.com/adobecloud/validation-exception"


class InvalidParameter(ApiModel):
    """One rejected parameter of a request (`invalidParams[]`)."""

    name: str
    reason: str


class MissingParameter(ApiModel):
    """One parameter a request lacked (`missingParams[]`)."""

    name: str
    type: str | None = None


class BadRequestError(ApiModel):
    """The spec's `BadRequestError`: status, type, title and the offending parameters."""

    status: int
    type: str = ERROR_TYPE
    title: str
    invalid_params: list[InvalidParameter] = Field(default_factory=list)
    missing_params: list[MissingParameter] = Field(default_factory=list)


class GatewayError(ApiModel):
    """The API gateway's own error body (`{"error_code": "401013", "message": "..."}`)."""

    error_code: str = Field(alias="error_code")
    message: str


class ErrorDetails(ResponseModel):
    """The spec's `ErrorDetailsRepresentation`, found in `statusDetails` of failed operations."""

    error_code: str | None = None
    public_details: dict[str, object] | None = None
    message: str | None = None
