"""The plain-JSON REST API (/api/v1, see /api/openapi.json) over urllib, with failures sorted into
small named classes the sender acts on."""

import json
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional

from . import __version__
from ._wire import dumps


class ApiError(Exception):
    """A request that failed. kind: 'network' (retry), 'auth' (401/403: keep spooling, fix the key),
    'reject' (the server refused the input: retrying cannot help), 'server' (5xx: retry a few times)."""

    def __init__(self, kind: str, status: Optional[int], code: str, message: str, data: Optional[Dict[str, Any]] = None):
        super().__init__(f"{code}: {message}")
        self.kind = kind
        self.status = status
        self.code = code
        self.message = message
        self.data = data or {}


def _kind(status: int) -> str:
    if status in (401, 403):
        return "auth"
    if status in (408, 429) or status >= 500:
        return "server" if status >= 500 else "network"
    return "reject"


class RestClient:
    def __init__(self, url: str, api_key: Optional[str], timeout_s: float = 30.0):
        self.base = url.rstrip("/") + "/api/v1"
        self.api_key = api_key
        self.timeout_s = timeout_s

    def request(self, method: str, path: str, body: Optional[Dict[str, Any]] = None, query: Optional[Dict[str, Any]] = None) -> Any:
        url = self.base + path
        if query:
            url += "?" + urllib.parse.urlencode({k: v for k, v in query.items() if v is not None})
        data = dumps(body).encode("utf-8") if body is not None else None
        headers = {"accept": "application/json", "user-agent": f"finetrack-python/{__version__}"}
        if data is not None:
            headers["content-type"] = "application/json"
        if self.api_key:
            headers["authorization"] = f"Bearer {self.api_key}"
        req = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=self.timeout_s) as res:
                text = res.read().decode("utf-8")
                return json.loads(text) if text else None
        except urllib.error.HTTPError as error:
            raw = error.read().decode("utf-8", "replace")
            try:
                payload = json.loads(raw).get("error", {})
            except (ValueError, AttributeError):
                payload = {}
            if not isinstance(payload, dict):
                payload = {}
            message = payload.get("message") or raw[:200] or error.reason
            # A key used for another project's run is for a person to fix (like a refused key), not bad input.
            kind = "auth" if payload.get("reason") == "KEY_PROJECT_MISMATCH" else _kind(error.code)
            raise ApiError(kind, error.code, payload.get("code") or f"HTTP_{error.code}", str(message), payload) from None
        except (urllib.error.URLError, OSError, ValueError) as error:
            reason = getattr(error, "reason", error)
            raise ApiError("network", None, "UNREACHABLE", f"{url}: {reason}") from None

    # One method per record kind, the same paths as the REST route table.
    def create_run(self, body: Dict[str, Any]) -> Any:
        return self.request("POST", "/runs", body)

    def update_run(self, run_id: str, body: Dict[str, Any]) -> Any:
        return self.request("PATCH", f"/runs/{urllib.parse.quote(run_id)}", body)

    def log_points(self, run_id: str, points: list) -> Any:
        return self.request("POST", f"/runs/{urllib.parse.quote(run_id)}/points", {"points": points})

    def finish_run(self, run_id: str, body: Dict[str, Any]) -> Any:
        return self.request("POST", f"/runs/{urllib.parse.quote(run_id)}/finish", body)

    def heartbeat(self, run_id: str) -> Any:
        return self.request("POST", f"/runs/{urllib.parse.quote(run_id)}/heartbeat", {})

    def log_artifact(self, run_id: str, body: Dict[str, Any]) -> Any:
        return self.request("POST", f"/runs/{urllib.parse.quote(run_id)}/artifacts", body)

    def get_run(self, run_id: str) -> Any:
        return self.request("GET", f"/runs/{urllib.parse.quote(run_id)}")
