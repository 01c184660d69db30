"""The two validation shapes: a `BadRequestError`, or a `validation-exception` problem."""

from __future__ import annotations

from aem_pulumi.emulator.errors import PROBLEM_JSON, Shape, invalid_request, problem_body

from .conftest import error, problem


def test_problem_body__reasons_for_one_field_joined() -> None:
    body = problem_body([("portOrig", "must be unique"), ("portOrig", "is too large")])
    assert body == problem(("portOrig", "must be unique; is too large"))


def test_invalid_request__problem() -> None:
    refused = invalid_request(Shape.PROBLEM, [("name", "is too long")], ["value"])
    assert (refused.status, refused.content_type) == (400, PROBLEM_JSON)
    assert refused.body == problem(("name", "is too long"), ("value", "is required"))


def test_invalid_request__bad_request() -> None:
    refused = invalid_request(Shape.BAD_REQUEST, [("name", "is too long")], ["value"])
    assert (refused.status, refused.content_type) == (400, "application/json")
    assert refused.body == error(400, "Validation failed", [("name", "is too long")], ["value"])
