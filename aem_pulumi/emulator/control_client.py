"""`EmulatorControl`: a small client of the emulator's control plane (`/__emulator/`).

It needs only `requests`, never Flask: tests and demos drive a running emulator with it.
"""

from __future__ import annotations

from typing import Any

from requests import Response, Session


class EmulatorControlError(RuntimeError):
    """The control plane refused a call (a bad fault body, an unknown program ...)."""

    def __init__(self, response: Response) -> None:
        super().__init__(
            f"{response.request.method} {response.url} answered {response.status_code}: "
            f"{response.text}"
        )
        self.status = response.status_code
        self.body: Any = _json_or_none(response)


def _json_or_none(response: Response) -> Any:
    """The JSON body of a response, None when it has none."""
    try:
        return response.json()
    except ValueError:
        return None


class EmulatorControl:
    """Reset the emulator, add programs and environments, set timings, inject faults."""

    def __init__(self, url: str, *, timeout: float = 10.0, session: Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._session = session or Session()

    def reset(self) -> None:
        """Back to the seed, the command line's timings, no faults, an empty request log."""
        self._call("POST", "reset")

    def add_program(
        self,
        id: str | None = None,
        name: str = "program",
        regions: list[str] | None = None,
        *,
        sandbox: bool = False,
    ) -> dict[str, Any]:
        """Add a program (`regions` defaults to `["va7"]`); answers it with its id."""
        body = {"name": name, "regions": regions or ["va7"], "sandbox": sandbox}
        if id is not None:
            body["id"] = id
        return self._call("POST", "programs", body)

    def add_environment(
        self,
        program_id: str,
        id: str | None = None,
        name: str = "environment",
        type: str = "dev",
        region: str | None = None,
        status: str = "ready",
    ) -> dict[str, Any]:
        """Add an environment to a program; answers it as the API shows it."""
        body: dict[str, Any] = {"name": name, "type": type, "status": status}
        body.update({k: v for k, v in (("id", id), ("region", region)) if v is not None})
        return self._call("POST", f"programs/{program_id}/environments", body)

    def add_region_deployment(
        self, program_id: str, environment_id: str, region: str
    ) -> dict[str, Any]:
        """Make an environment run in one more of its program's regions; answers the deployment."""
        path = f"programs/{program_id}/environments/{environment_id}/regionDeployments"
        return self._call("POST", path, {"region": region})

    def make_busy(self, program_id: str, environment_id: str, seconds: float) -> dict[str, Any]:
        """Keep an environment `updating` for `seconds`, like a pipeline run."""
        path = f"programs/{program_id}/environments/{environment_id}/busy"
        return self._call("POST", path, {"seconds": seconds})

    def timings(self) -> dict[str, float]:
        """The current durations of the asynchronous operations."""
        return {name: float(value) for name, value in self._call("GET", "timings").items()}

    def set_timings(self, **seconds: float) -> dict[str, float]:
        """Change some durations (`environment_update=0.3` ...); answers all of them."""
        answer = self._call("PUT", "timings", seconds)
        return {name: float(value) for name, value in answer.items()}

    def inject_fault(self, kind: str, **options: Any) -> str:
        """Arm a fault (`http`, `drop` or `fail`, with filters and a budget); answers its id."""
        return str(self._call("POST", "faults", {"kind": kind, **options})["id"])

    def faults(self) -> list[dict[str, Any]]:
        """The armed faults."""
        return list(self._call("GET", "faults")["faults"])

    def clear_faults(self) -> None:
        """Disarm every fault."""
        self._call("DELETE", "faults")

    def requests(self) -> list[dict[str, Any]]:
        """The API and IMS calls received: method, path, status, time, fault."""
        return list(self._call("GET", "requests")["requests"])

    def clear_requests(self) -> None:
        """Forget the calls received so far."""
        self._call("DELETE", "requests")

    def revoke_tokens(self) -> int:
        """Invalidate every issued token; answers how many there were."""
        return int(self._call("POST", "tokens/revoke")["revoked"])

    def _call(self, method: str, path: str, body: Any = None) -> dict[str, Any]:
        """One control-plane call; its JSON object answer (empty when there is none)."""
        response = self._session.request(
            method, f"{self.url}/__emulator/{path}", json=body, timeout=self.timeout
        )
        if response.status_code >= 400:
            raise EmulatorControlError(response)
        answer: dict[str, Any] = response.json() if response.content else {}
        return answer
