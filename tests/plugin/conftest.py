"""The plugin as the engine runs it: `pulumi-resource-aem` in a subprocess, spoken to over gRPC."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format, struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from aem_pulumi.emulator.control_client import EmulatorControl

PLUGIN = Path(sys.executable).parent / "pulumi-resource-aem"
STACK = "urn:pulumi:dev::proj::"
SIG = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"


def urn(token: str, name: str) -> str:
    """The URN of resource `name` of type `token` in the test stack."""
    return f"{STACK}{token}::{name}"


def struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    """A property bag as the engine sends it."""
    answer = struct_pb2.Struct()
    answer.update(dict(props))
    return answer


def as_dict(message: struct_pb2.Struct) -> dict[str, Any]:
    """A property bag as the plugin answered it (secrets still wrapped)."""
    return json_format.MessageToDict(message)


def secret(value: Any) -> dict[str, Any]:
    """Pulumi's wire form of a secret."""
    return {SIG: SECRET_SIG, "value": value}


@dataclass
class Plugin:
    """A running plugin process and a stub on its port."""

    process: subprocess.Popen[str]
    stub: provider_pb2_grpc.ResourceProviderStub

    def configure(self, credentials: Mapping[str, str]) -> provider_pb2.ConfigureResponse:
        """Configure it as the engine would, from `aem:*` keys (the fixture's credential names)."""
        args = {
            "apiUrl": credentials["api_url"],
            "imsUrl": credentials["ims_url"],
            "clientId": credentials["client_id"],
            "clientSecret": secret(credentials["client_secret"]),
            "orgId": credentials["org_id"],
        }
        request = provider_pb2.ConfigureRequest(args=struct(args), acceptSecrets=True)
        return self.stub.Configure(request)


def start_plugin(env: Mapping[str, str] | None = None) -> Plugin:
    """Start `pulumi-resource-aem` (no engine address) and connect to the port it prints."""
    process = subprocess.Popen(
        [str(PLUGIN)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "AEM_POLL_INTERVAL": "0.05", **(env or {})},
    )
    assert process.stdout is not None
    port = int(process.stdout.readline().strip())
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    return Plugin(process, provider_pb2_grpc.ResourceProviderStub(channel))


@pytest.fixture
def plugin() -> Iterator[Plugin]:
    """A plugin process, not configured yet."""
    started = start_plugin()
    yield started
    started.process.terminate()
    started.process.wait(timeout=10)


@pytest.fixture
def provider(
    plugin: Plugin, emulator: EmulatorControl, credentials: dict[str, str]
) -> provider_pb2_grpc.ResourceProviderStub:
    """A plugin configured for the reset emulator."""
    plugin.configure(credentials)
    return plugin.stub
