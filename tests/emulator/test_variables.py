"""Environment variables and secrets: GET and PATCH."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import DEV, REL, Api, environment, error, poll, problem, refused

VARIABLES = f"{environment(DEV)}/variables"
NAME_PATTERN = "^[a-zA-Z_][a-zA-Z_0-9]*$"


_refused = refused


def _invalid(api: Api, updates: Any, name: str, reason: str) -> None:
    """PATCH `updates` is refused with a validation-exception problem naming one field."""
    _refused(api.patch(VARIABLES, updates), problem((name, reason)))


def _statuses(api: Api) -> dict[str, str]:
    """Each variable's status by name."""
    return {v["name"]: v["status"] for v in api.variables()}


def test_get_environment_variables__empty(api: Api) -> None:
    body = api.body(VARIABLES)
    assert (body["_totalNumberOfItems"], body["_embedded"]) == (0, {"variables": []})
    assert body["_links"][f"{REL}environment"]["href"] == environment(DEV)


def test_get_environment_variables__not_found(api: Api) -> None:
    response = api.get(f"{environment('29999')}/variables")
    _refused(response, error(404, "Environment 29999 not found in program 10001"))


def test_patch_environment_variables(api: Api, emulator: EmulatorControl) -> None:
    emulator.set_timings(variables_update=0.3)
    updates = [
        {"name": "EMAIL_USERNAME", "value": "apikey"},
        {"name": "EMAIL_PASSWORD", "value": "hunter2", "type": "secretString"},
    ]
    response = api.patch(VARIABLES, updates)
    assert (response.status_code, response.content) == (204, b"")
    assert api.status(environment(DEV)) == "updating"
    assert _statuses(api) == {"EMAIL_PASSWORD": "creating", "EMAIL_USERNAME": "creating"}
    api.wait_for_status(environment(DEV), "ready")
    assert api.variables() == [
        {"name": "EMAIL_PASSWORD", "type": "secretString", "service": "", "status": "ready"},
        {
            "name": "EMAIL_USERNAME",
            "value": "apikey",
            "type": "string",
            "service": "",
            "status": "ready",
        },
    ]


def test_patch_environment_variables__update(api: Api, emulator: EmulatorControl) -> None:
    api.set_variables([{"name": "MODE", "value": "one"}])
    emulator.set_timings(variables_update=0.3)
    api.set_variables([{"name": "MODE", "value": "two", "type": "string"}])
    assert _statuses(api) == {"MODE": "updating"}
    poll(lambda: api.variables(), lambda found: found[0]["status"] == "ready")
    assert api.variables()[0]["value"] == "two"


def test_patch_environment_variables__delete(api: Api, emulator: EmulatorControl) -> None:
    api.set_variables([{"name": "MODE", "value": "one"}, {"name": "KEEP", "value": "1"}])
    emulator.set_timings(variables_update=0.3)
    api.set_variables([{"name": "MODE", "value": ""}])
    assert _statuses(api) == {"KEEP": "ready", "MODE": "deleting"}
    poll(lambda: _statuses(api), lambda statuses: statuses == {"KEEP": "ready"})


def test_patch_environment_variables__delete_secret(api: Api) -> None:
    api.set_variables([{"name": "TOKEN", "value": "t", "type": "secretString"}])
    api.set_variables([{"name": "TOKEN", "value": "", "type": "secretString"}])
    assert api.variables() == []


def test_patch_environment_variables__delete_secret_without_type(api: Api) -> None:
    api.set_variables([{"name": "TOKEN", "value": "t", "type": "secretString"}])
    reason = "TOKEN is a secretString: send type secretString to delete it"
    _invalid(api, [{"name": "TOKEN", "value": ""}], "[0].type", reason)


def test_patch_environment_variables__type_change(api: Api) -> None:
    api.set_variables([{"name": "TOKEN", "value": "t"}])
    update = [{"name": "TOKEN", "value": "t", "type": "secretString"}]
    reason = (
        "the type of TOKEN cannot change from string to secretString; delete it, then create it"
    )
    _invalid(api, update, "[0].type", reason)


def test_patch_environment_variables__per_service(api: Api) -> None:
    api.set_variables(
        [
            {"name": "MODE", "value": "all"},
            {"name": "MODE", "value": "author", "service": "author"},
            {"name": "MODE", "value": "publish", "service": "publish"},
        ]
    )
    found = [(v["service"], v["value"]) for v in api.variables()]
    assert found == [("", "all"), ("author", "author"), ("publish", "publish")]


def test_patch_environment_variables__all_services_listed_with_empty_service(api: Api) -> None:
    api.set_variables([{"name": "MODE", "value": "all"}])
    assert api.variables() == [
        {"name": "MODE", "value": "all", "type": "string", "service": "", "status": "ready"}
    ]


def test_patch_environment_variables__empty_service_refused(api: Api) -> None:
    reason = "Input should be 'author', 'publish' or 'preview'"
    _invalid(api, [{"name": "MODE", "value": "1", "service": ""}], "[0].service", reason)


def test_patch_environment_variables__missing_name(api: Api) -> None:
    _invalid(api, [{"value": "1"}], "[0].name", "is required")


def test_patch_environment_variables__every_problem_listed(api: Api) -> None:
    api.set_variables([{"name": "MODE", "value": "1", "type": "secretString"}])
    updates = [{"name": "MODE", "value": "x" * 500, "type": "secretString"}, {"name": "MODE"}]
    expected = problem(
        ("[0].value", "a secretString value must be less than 500 characters"),
        ("[1].name", "repeats [0] (same name and service)"),
        ("[1].type", "MODE is a secretString: send type secretString to delete it"),
    )
    _refused(api.patch(VARIABLES, updates), expected)


def test_patch_environment_variables__repeated_variable(api: Api) -> None:
    updates = [{"name": "MODE", "value": "a"}, {"name": "MODE", "value": "b"}]
    _invalid(api, updates, "[1].name", "repeats [0] (same name and service)")


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("1ABC", f"String should match pattern '{NAME_PATTERN}'"),
        ("MY-VAR", f"String should match pattern '{NAME_PATTERN}'"),
        ("A", "String should have at least 2 characters"),
        ("A" * 101, "String should have at most 100 characters"),
    ],
)
def test_patch_environment_variables__invalid_name(api: Api, name: str, reason: str) -> None:
    updates = [{"name": "OK_NAME", "value": "1"}, {"name": name, "value": "1"}]
    _invalid(api, updates, "[1].name", reason)


def test_patch_environment_variables__longest_name(api: Api) -> None:
    api.set_variables([{"name": "A" * 100, "value": "1"}])
    assert api.variables()[0]["name"] == "A" * 100


def test_patch_environment_variables__value_too_long(api: Api) -> None:
    reason = "String should have at most 2048 characters"
    _invalid(api, [{"name": "LONG", "value": "x" * 2049}], "[0].value", reason)


def test_patch_environment_variables__secret_too_long(api: Api) -> None:
    update = [{"name": "KEY", "value": "x" * 500, "type": "secretString"}]
    reason = "a secretString value must be less than 500 characters"
    _invalid(api, update, "[0].value", reason)


def test_patch_environment_variables__longest_secret(api: Api) -> None:
    api.set_variables([{"name": "KEY", "value": "x" * 499, "type": "secretString"}])
    assert api.variables()[0]["status"] == "ready"


def test_patch_environment_variables__invalid_type(api: Api) -> None:
    reason = "Input should be 'string' or 'secretString'"
    _invalid(api, [{"name": "KEY", "value": "1", "type": "secret"}], "[0].type", reason)


def test_patch_environment_variables__invalid_service(api: Api) -> None:
    reason = "Input should be 'author', 'publish' or 'preview'"
    _invalid(api, [{"name": "KEY", "value": "1", "service": "Author"}], "[0].service", reason)


def test_patch_environment_variables__not_an_array(api: Api) -> None:
    _invalid(api, {"name": "KEY", "value": "1"}, "body", "Input should be a valid list")


def test_patch_environment_variables__too_many(api: Api) -> None:
    api.set_variables([{"name": f"VAR_{i}", "value": "1"} for i in range(200)])
    response = api.patch(VARIABLES, [{"name": "ONE_MORE", "value": "1"}])
    reason = "environment 20001 would hold 201 variables; at most 200"
    _refused(response, problem(("body", reason)))


def test_patch_environment_variables__busy(api: Api, emulator: EmulatorControl) -> None:
    emulator.set_timings(variables_update=30)
    api.set_variables([{"name": "MODE", "value": "one"}])
    response = api.patch(VARIABLES, [{"name": "MODE", "value": "two"}])
    _refused(response, error(409, "Environment 20001 is busy (status updating)"))


def test_patch_environment_variables__not_found(api: Api) -> None:
    response = api.patch(f"{environment('29999')}/variables", [])
    _refused(response, error(404, "Environment 29999 not found in program 10001"))


def test_patch_environment_variables__concurrent(api: Api) -> None:
    headers = dict(api.session.headers)

    def patch(index: int) -> int:
        body = [{"name": f"VAR_{index}", "value": str(index)}]
        url = f"{api.url}{VARIABLES}"
        return requests.patch(url, json=body, headers=headers, timeout=10).status_code

    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(patch, range(40)))
    assert statuses == [204] * 40
    assert sorted(v["value"] for v in api.variables()) == sorted(str(i) for i in range(40))
