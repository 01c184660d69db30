"""The plugin process over gRPC against the emulator: schema, config, check, diff, CRUD, import,
timeouts, secrets and error messages."""

from __future__ import annotations

import json
from typing import Any

import grpc
import pytest
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from aem_pulumi.emulator.control_client import EmulatorControl

from .conftest import Plugin, as_dict, secret, struct, urn

Stub = provider_pb2_grpc.ResourceProviderStub
NETWORK = {"programId": "10001", "kind": "flexiblePortEgress", "region": "va7"}
ENV = {"programId": "10001", "environmentId": "20001"}
RULE = {**ENV, "host": "smtp.sendgrid.net", "portDest": 465}
PASSWORD = {**ENV, "name": "EMAIL_PASSWORD", "value": "plugin-test-password-1"}


def check(stub: Stub, token: str, name: str, news: dict[str, Any]) -> Any:
    return stub.Check(provider_pb2.CheckRequest(urn=urn(token, name), news=struct(news)))


def create(stub: Stub, token: str, name: str, news: dict[str, Any], timeout: float = 0) -> Any:
    checked = check(stub, token, name, news)
    assert list(checked.failures) == []
    request = provider_pb2.CreateRequest(
        urn=urn(token, name), properties=checked.inputs, timeout=timeout
    )
    return stub.Create(request)


def networking(stub: Stub) -> None:
    """The network infrastructure and advanced networking on environment 20001."""
    create(stub, "aem:index:AdvancedNetworking", "network", NETWORK)
    create(stub, "aem:index:EnvironmentAdvancedNetworking", "env", ENV)


def test_get_plugin_info(plugin: Plugin) -> None:
    from importlib.metadata import version

    info = plugin.stub.GetPluginInfo(provider_pb2.google_dot_protobuf_dot_empty__pb2.Empty())
    assert info.version == version("aem-pulumi")


def test_get_schema(plugin: Plugin) -> None:
    answer = plugin.stub.GetSchema(provider_pb2.GetSchemaRequest())
    schema = json.loads(answer.schema)
    assert sorted(schema["resources"]) == [
        "aem:index:AdvancedNetworking",
        "aem:index:EnvironmentAdvancedNetworking",
        "aem:index:EnvironmentSecret",
        "aem:index:EnvironmentVariable",
        "aem:index:EnvironmentVariables",
        "aem:index:MailService",
        "aem:index:PortForward",
    ]
    mail = schema["resources"]["aem:index:MailService"]
    assert mail["isComponent"] is True
    assert (mail["inputProperties"]["smtpPort"], mail["inputProperties"]["password"]) == (
        {"type": "integer"},
        {"type": "string", "secret": True},
    )
    assert mail["requiredOutputs"] == ["defaultMailServiceJson", "osgiConfigPath", "portOrig"]
    port_forward = schema["resources"]["aem:index:PortForward"]
    assert port_forward["requiredInputs"] == ["environmentId", "host", "portDest", "programId"]
    assert port_forward["inputProperties"]["portDest"]["type"] == "integer"
    assert "resourceName" not in port_forward["inputProperties"]
    secret_value = schema["resources"]["aem:index:EnvironmentSecret"]["inputProperties"]["value"]
    assert secret_value["secret"] is True
    connection = schema["types"]["aem:index:VpnConnection"]["properties"]
    assert connection["sharedKey"]["secret"] is True
    assert connection["ipsecPolicy"] == {
        "$ref": "#/types/aem:index:IpsecPolicy",
        "description": "IPsec/IKE parameters.",
    }
    assert schema["config"]["variables"]["clientSecret"]["secret"] is True
    assert sorted(schema["functions"]) == [
        "aem:index:getEnvironment",
        "aem:index:getNetworkInfrastructure",
        "aem:index:getProgram",
    ]


def test_check_config__names_missing_and_bad_keys(plugin: Plugin) -> None:
    news = {"apiUrl": "cloudmanager.example", "clientId": "x", "colour": "blue"}
    answer = plugin.stub.CheckConfig(
        provider_pb2.CheckRequest(
            urn="urn:pulumi:dev::p::pulumi:providers:aem::default", news=struct(news)
        )
    )
    failures = {f.property: f.reason for f in answer.failures}
    assert failures == {
        "colour": "aem:colour is not a configuration key of the aem provider; use one of "
        "aem:apiUrl, aem:imsUrl, aem:clientId, aem:clientSecret, aem:orgId, aem:scopes",
        "apiUrl": "aem:apiUrl 'cloudmanager.example' is not an http(s) URL: set aem:apiUrl in "
        "the stack configuration (or AEM_API_URL)",
        "clientSecret": "aem:clientSecret is not set: set it with `pulumi config set --secret "
        "aem:clientSecret` (or AEM_CLIENT_SECRET)",
        "orgId": "aem:orgId is not set: set aem:orgId in the stack configuration (or AEM_ORG_ID)",
    }


def test_check_config__keeps_the_client_secret_secret(plugin: Plugin) -> None:
    news = {"clientId": "x", "clientSecret": "s3cr3t", "orgId": "o"}
    answer = plugin.stub.CheckConfig(
        provider_pb2.CheckRequest(
            urn="urn:pulumi:dev::p::pulumi:providers:aem::default", news=struct(news)
        )
    )
    assert list(answer.failures) == []
    assert as_dict(answer.inputs)["clientSecret"] == secret("s3cr3t")


def test_configure__accepts_secrets_without_preview(
    plugin: Plugin, credentials: dict[str, str]
) -> None:
    answer = plugin.configure(credentials)
    assert (answer.acceptSecrets, answer.supportsPreview) == (True, False)


def test_check__failures_in_camel_case(provider: Stub) -> None:
    news = {**ENV, "portForwards": [{"host": "a.example", "portDest": 80}], "colour": 1}
    answer = check(provider, "aem:index:EnvironmentAdvancedNetworking", "env", news)
    failures = {f.property: f.reason for f in answer.failures}
    assert failures == {
        "colour": "Extra inputs are not permitted",
        "portForwards[0].portDest": failures["portForwards[0].portDest"],
    }
    assert "80" in failures["portForwards[0].portDest"]


def test_check__fills_defaults_and_wraps_secrets(provider: Stub) -> None:
    rule = as_dict(check(provider, "aem:index:PortForward", "smtp", RULE).inputs)
    assert rule["portOrig"] == 30465
    assert "resourceName" not in rule
    password = as_dict(check(provider, "aem:index:EnvironmentSecret", "pw", PASSWORD).inputs)
    assert password["value"] == secret(PASSWORD["value"])


def test_diff__detailed_diff_with_replaces(provider: Stub) -> None:
    olds = check(provider, "aem:index:PortForward", "smtp", RULE).inputs
    news = check(
        provider, "aem:index:PortForward", "smtp", {**RULE, "host": "b.example", "portOrig": 30466}
    ).inputs
    answer = provider.Diff(
        provider_pb2.DiffRequest(
            urn=urn("aem:index:PortForward", "smtp"), id="x", olds=olds, news=news
        )
    )
    kinds = {k: (v.kind, v.inputDiff) for k, v in answer.detailedDiff.items()}
    assert kinds == {
        "host": (provider_pb2.PropertyDiff.UPDATE, True),
        "portOrig": (provider_pb2.PropertyDiff.UPDATE_REPLACE, True),
    }
    assert (answer.changes, list(answer.replaces), answer.hasDetailedDiff) == (
        provider_pb2.DiffResponse.DIFF_SOME,
        ["portOrig"],
        True,
    )


def test_diff__no_changes(provider: Stub) -> None:
    olds = check(provider, "aem:index:PortForward", "smtp", RULE).inputs
    answer = provider.Diff(
        provider_pb2.DiffRequest(
            urn=urn("aem:index:PortForward", "smtp"), id="x", olds=olds, news=olds
        )
    )
    assert (answer.changes, dict(answer.detailedDiff)) == (provider_pb2.DiffResponse.DIFF_NONE, {})


def test_create_read_update_delete(provider: Stub, emulator: EmulatorControl) -> None:
    networking(provider)
    token, name = "aem:index:PortForward", "smtp"
    created = create(provider, token, name, RULE)
    assert created.id == "10001/20001/30465"
    read = provider.Read(
        provider_pb2.ReadRequest(urn=urn(token, name), id=created.id, properties=created.properties)
    )
    assert as_dict(read.properties)["host"] == "smtp.sendgrid.net"
    news = check(provider, token, name, {**RULE, "host": "smtp.other.example"}).inputs
    updated = provider.Update(
        provider_pb2.UpdateRequest(
            urn=urn(token, name), id=created.id, olds=created.properties, news=news
        )
    )
    assert as_dict(updated.properties)["host"] == "smtp.other.example"
    provider.Delete(
        provider_pb2.DeleteRequest(
            urn=urn(token, name), id=created.id, properties=updated.properties
        )
    )
    gone = provider.Read(provider_pb2.ReadRequest(urn=urn(token, name), id=created.id))
    assert gone.id == ""


def test_read__import_by_id_returns_inputs(provider: Stub) -> None:
    networking(provider)
    created = create(provider, "aem:index:PortForward", "smtp", RULE)
    read = provider.Read(
        provider_pb2.ReadRequest(urn=urn("aem:index:PortForward", "adopted"), id=created.id)
    )
    assert as_dict(read.inputs) == as_dict(
        check(provider, "aem:index:PortForward", "x", RULE).inputs
    )


def test_read__import_diffs_clean_against_the_program(provider: Stub) -> None:
    networking(provider)
    token = "aem:index:PortForward"
    created = create(provider, token, "smtp", RULE)
    read = provider.Read(provider_pb2.ReadRequest(urn=urn(token, "adopted"), id=created.id))
    program = check(provider, token, "adopted", RULE).inputs
    answer = provider.Diff(
        provider_pb2.DiffRequest(
            urn=urn(token, "adopted"),
            id=created.id,
            olds=read.properties,
            old_inputs=read.inputs,
            news=program,
        )
    )
    assert (answer.changes, dict(answer.detailedDiff)) == (provider_pb2.DiffResponse.DIFF_NONE, {})


def test_create__secret_outputs_field_by_field(provider: Stub) -> None:
    created = create(provider, "aem:index:EnvironmentSecret", "pw", PASSWORD)
    outputs = as_dict(created.properties)
    assert outputs["value"] == secret(PASSWORD["value"])
    assert (outputs["name"], outputs["type"]) == ("EMAIL_PASSWORD", "secretString")


def test_create__engine_timeout_names_the_deadline(
    provider: Stub, emulator: EmulatorControl
) -> None:
    networking(provider)
    emulator.set_timings(environment_update=30)
    with pytest.raises(grpc.RpcError) as caught:
        create(provider, "aem:index:PortForward", "smtp", RULE, timeout=1)
    assert caught.value.code() == grpc.StatusCode.UNKNOWN
    message = caught.value.details()
    assert message.startswith("PortForward 'smtp': ")
    assert "0m1s" in message
    assert "Traceback" not in message


def test_create__refused_write_is_one_paragraph(provider: Stub) -> None:
    with pytest.raises(grpc.RpcError) as caught:
        create(provider, "aem:index:EnvironmentAdvancedNetworking", "env", ENV)
    assert caught.value.code() == grpc.StatusCode.UNKNOWN
    assert caught.value.details() == (
        "EnvironmentAdvancedNetworking 'env': program 10001 has no ready network infrastructure "
        "(found: none); create an AdvancedNetworking resource for the program first and make "
        "this resource depend on it"
    )


def test_invoke__get_environment_by_name(provider: Stub) -> None:
    answer = provider.Invoke(
        provider_pb2.InvokeRequest(
            tok="aem:index:getEnvironment", args=struct({"programId": "10001", "name": "dev"})
        )
    )
    found = as_dict(getattr(answer, "return"))
    assert (found["environmentId"], found["name"], found["type"]) == ("20001", "dev", "dev")


def test_invoke__bad_arguments_are_failures(provider: Stub) -> None:
    answer = provider.Invoke(
        provider_pb2.InvokeRequest(tok="aem:index:getProgram", args=struct({"program": "1"}))
    )
    assert {f.property: f.reason for f in answer.failures} == {
        "programId": "Field required",
        "program": "Extra inputs are not permitted",
    }


def test_check__two_resources_declaring_one_object(provider: Stub) -> None:
    token = "aem:index:PortForward"
    assert list(check(provider, token, "smtp", RULE).failures) == []
    child = f"{urn('aem:index:MailService', 'mail').rpartition('::')[0]}$aem:index:PortForward::mail-smtp"
    answer = provider.Check(provider_pb2.CheckRequest(urn=child, news=struct(RULE)))
    assert [(f.property, f.reason) for f in answer.failures] == [
        (
            "portOrig",
            "PortForward 'mail-smtp' in MailService and PortForward 'smtp' both declare port "
            "forward 30465 of environment 20001; one object can have one owner: remove one of "
            "them (or, for a rename, give the new one `aliases`)",
        )
    ]


def test_check__whole_number_for_a_string_id(provider: Stub) -> None:
    # Pulumi YAML sends `programId: ${programId}` from config as a number (pulumi-yaml#577).
    answer = check(provider, "aem:index:PortForward", "smtp", {**RULE, "programId": 10001})
    assert list(answer.failures) == []
    assert as_dict(answer.inputs)["programId"] == "10001"
