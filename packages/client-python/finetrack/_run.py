"""A run: log() only validates and queues; one background thread sends, in order, in batches.

The training loop never waits on the network and never sees a network error: when the server is
away, what is pending goes to $FINETRACK_HOME/spool/<run>.jsonl (the TypeScript SDK's format, so
`finetrack sync` uploads it) and the sender retries with backoff, draining the file before memory.
Input the server refuses is kept in <run>.rejected.jsonl with the reason, never retried forever.
"""

import atexit
import math
import random
import re
import secrets
import sys
import threading
import time
import weakref
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, Optional, Union

from ._credentials import resolve_connection
from ._http import ApiError, RestClient
from ._settings import MAX_METRIC_KEY_LENGTH, MAX_POINTS_PER_BATCH, MAX_RUN_ID_LENGTH, MAX_STEP, read_settings
from ._spool import SpoolFile
from ._system import capture_system_info
from ._wire import Point, point_json

FLUSH_INTERVAL_S = 1.0
HEARTBEAT_S = 30.0
FINISH_TIMEOUT_S = 15.0
MAX_BACKOFF_S = 30.0
#: An identical 5xx this many times in a row for one record is deterministic: the record is set aside.
MAX_SAME_SERVER_ERRORS = 5
_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
_CONTROL = re.compile(r"[\x00-\x1f]")
_RUN_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")

_live_runs: "weakref.WeakSet[Run]" = weakref.WeakSet()


def new_run_id() -> str:
    """A short, URL-safe id chosen on the client, so creation can be retried (same as the SDK)."""
    return "".join(_ALPHABET[b % 36] for b in secrets.token_bytes(12))


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string '{value[:40]}'"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, (int, float)):
        return repr(value)
    return type(value).__name__


def _check_key(key: Any) -> None:
    if not isinstance(key, str) or len(key) == 0 or len(key) > MAX_METRIC_KEY_LENGTH or _CONTROL.search(key):
        shown = key[:40] if isinstance(key, str) else _describe(key)
        size = len(key) if isinstance(key, str) else 0
        raise TypeError(f"finetrack: run.log metric names must be 1-{MAX_METRIC_KEY_LENGTH} characters without control characters, got '{shown}' ({size} characters)")


def _as_number(key: str, value: Any) -> float:
    # bool is an int subclass in Python; a metric of True is almost always a mistake.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if hasattr(value, "item") and callable(value.item):  # numpy / torch scalars
            return _as_number(key, value.item())
        raise TypeError(f"finetrack: run.log metric '{key}' must be a number, got {_describe(value)}")
    return float(value)


class Run:
    """One run. Create it with `finetrack.init(...)`."""

    def __init__(self, create_input: Dict[str, Any], client: Optional[RestClient], spool: SpoolFile, offline: bool, quiet: bool):
        self.id: str = create_input["id"]
        self.project: str = create_input["project"]
        self.url = client.base[: -len("/api/v1")] if client else None
        self._client = client
        self._spool = spool
        self._offline = offline
        self._quiet = quiet
        self._lock = threading.Condition()
        self._queue: Deque[Dict[str, Any]] = deque()
        self._spooling = offline
        self._spool_only = offline
        self._finishing = False
        self._finished = False
        self._sender_done = threading.Event()
        self._reported: set = set()
        self._next_step = 0
        self._last_heartbeat = time.monotonic()
        self._same_error: Optional[str] = None
        self._same_error_count = 0
        self._stop = False
        self._finish_sent = False
        self._last_flush = 0.0
        self._queued_points = 0
        self._queued_other = 0
        self._enqueue({"t": "create", "input": create_input})
        self._thread: Optional[threading.Thread] = None
        if not offline:
            self._thread = threading.Thread(target=self._send_loop, name=f"finetrack-{self.id}", daemon=True)
            self._thread.start()
        _live_runs.add(self)

    # ---- what a training loop calls -------------------------------------------------------------

    def log(self, metrics: Mapping[str, Any], step: Optional[int] = None, epoch: Optional[float] = None) -> None:
        """Queues one point per metric at `step` (default: one past the last step logged)."""
        if not isinstance(metrics, Mapping):
            raise TypeError(f"finetrack: run.log(metrics) expects an object of metric name -> number, got {_describe(metrics)}")
        if step is None:
            step = self._next_step
        if isinstance(step, bool) or not isinstance(step, int) or step < 0 or step > MAX_STEP:
            raise TypeError(f"finetrack: run.log step must be an integer between 0 and {MAX_STEP}, got {_describe(step)}")
        if epoch is not None and (isinstance(epoch, bool) or not isinstance(epoch, (int, float)) or not math.isfinite(epoch) or epoch < 0):
            raise TypeError(f"finetrack: run.log epoch must be a finite non-negative number, got {_describe(epoch)}")
        time_ms = int(time.time() * 1000)
        points: List[Point] = []
        for key, value in metrics.items():
            _check_key(key)
            points.append((key, step, _as_number(key, value), None if epoch is None else float(epoch), time_ms))
        self._next_step = max(self._next_step, step + 1)
        if points:
            self._enqueue({"t": "points", "points": points})

    def summary(self, values: Mapping[str, Any]) -> None:
        """Merges final numbers (best score, test accuracy, runtime …) into the run's summary."""
        self._enqueue({"t": "update", "input": {"id": self.id, "summary": dict(values)}})

    def update(self, name: Optional[str] = None, tags: Optional[List[str]] = None, notes: Optional[str] = None, config: Optional[Mapping[str, Any]] = None) -> None:
        fields: Dict[str, Any] = {"id": self.id}
        if name is not None:
            fields["name"] = name
        if tags is not None:
            fields["tags"] = list(tags)
        if notes is not None:
            fields["notes"] = notes
        if config is not None:
            fields["config"] = dict(config)
        self._enqueue({"t": "update", "input": fields})

    def log_artifact(self, name: str, kind: str, uri: str, **fields: Any) -> None:
        self._enqueue({"t": "artifact", "input": {"runId": self.id, "name": name, "kind": kind, "uri": uri, **fields}})

    def finish(self, status: str = "finished", summary: Optional[Mapping[str, Any]] = None, error: Optional[str] = None, timeout_s: float = FINISH_TIMEOUT_S) -> bool:
        """Ends the run. Returns True when everything is stored on the server, False when the rest
        is safe in the spool file (then `finetrack sync` uploads it)."""
        with self._lock:
            if self._finished:
                return not self._spool.has_unsent()
            self._finished = True
        record: Dict[str, Any] = {"id": self.id, "status": status}
        if summary:
            record["summary"] = dict(summary)
        if error:
            record["error"] = error[:100_000]
        self._enqueue({"t": "finish", "input": record})
        if self._offline:
            self._spool.release()
            self._say("offline", f"finetrack: run {self.id} is spooled in {self._spool.path}; upload it with `npx finetrack sync`")
            return False
        with self._lock:
            self._finishing = True
            self._lock.notify_all()
        self._sender_done.wait(timeout_s)
        with self._lock:
            self._finishing = False
            self._stop = True
            # Whatever is still in memory goes to the spool, so nothing is lost.
            pending = [self._pop() for _ in range(len(self._queue))]
            for rec in pending:
                self._spool.append(rec)
            self._lock.notify_all()
        stored = not self._spool.has_unsent()
        if stored:
            self._spool.remove()
        else:
            self._spool.release()
            self._say("left", f"finetrack: {self.url} did not take all of run {self.id} in {timeout_s:.0f} s; the rest is in {self._spool.path}; run `npx finetrack sync` later")
        return stored

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.finish()
        elif issubclass(exc_type, KeyboardInterrupt):
            self.finish(status="killed")
        else:
            self.finish(status="failed", error=f"{exc_type.__name__}: {exc}")

    # ---- the sender -------------------------------------------------------------------------------

    def _enqueue(self, record: Dict[str, Any]) -> None:
        with self._lock:
            if self._spooling or self._stop:
                self._spool.append(record)
            else:
                self._queue.append(record)
                self._count(record, 1)
            self._lock.notify_all()

    def _say(self, topic: str, message: str) -> None:
        if topic in self._reported or self._quiet:
            return
        self._reported.add(topic)
        print(message, file=sys.stderr)

    def _count(self, record: Dict[str, Any], sign: int) -> None:
        if record["t"] == "points":
            self._queued_points += sign * len(record["points"])
        else:
            self._queued_other += sign

    def _pop(self) -> Dict[str, Any]:
        record = self._queue.popleft()
        self._count(record, -1)
        return record

    def _take_batch(self) -> Optional[Dict[str, Any]]:
        """The next record; consecutive point records are merged up to the batch limit."""
        if not self._queue:
            return None
        first = self._pop()
        if first["t"] != "points":
            return first
        points = list(first["points"])
        while self._queue and self._queue[0]["t"] == "points" and len(points) + len(self._queue[0]["points"]) <= MAX_POINTS_PER_BATCH:
            points.extend(self._pop()["points"])
        return {"t": "points", "points": points}

    def _send_loop(self) -> None:
        backoff = 0.5
        try:
            while True:
                with self._lock:
                    while not self._stop and not self._ready():
                        self._lock.wait(max(0.01, FLUSH_INTERVAL_S - (time.monotonic() - self._last_flush)))
                    if self._stop:
                        return
                    # Batch up to one flush interval of points unless finishing or full.
                    spooling = self._spooling
                    record = None if spooling else self._take_batch()
                    self._last_flush = time.monotonic()
                if time.monotonic() - self._last_heartbeat > HEARTBEAT_S and not spooling:
                    self._last_heartbeat = time.monotonic()
                    try:
                        self._client.heartbeat(self.id)
                    except ApiError:
                        pass
                if spooling:
                    ok = self._drain_spool()
                elif record is not None:
                    ok = self._send_or_spool(record)
                else:
                    ok = True
                with self._lock:
                    idle = not self._queue and not self._spool.has_unsent()
                    if self._finishing and idle and self._finish_sent:
                        return
                if ok:
                    backoff = 0.5
                else:
                    time.sleep(backoff * (0.5 + random.random()))
                    backoff = min(MAX_BACKOFF_S, backoff * 2)
                    if self._spool_only:
                        with self._lock:
                            while not self._stop:
                                self._lock.wait(1.0)
                        return
        finally:
            self._sender_done.set()


    def _ready(self) -> bool:
        """Send when finishing, when a non-point record waits, when a batch is full, or once per flush interval."""
        if self._finishing or self._spooling:
            return True
        if not self._queue:
            return time.monotonic() - self._last_heartbeat > HEARTBEAT_S
        if self._queued_other > 0 or self._queued_points >= MAX_POINTS_PER_BATCH:
            return True
        return time.monotonic() - self._last_flush >= FLUSH_INTERVAL_S

    def _send_or_spool(self, record: Dict[str, Any]) -> bool:
        try:
            self._send(record)
            return True
        except ApiError as error:
            if error.kind == "reject":
                self._reject(record, error)
                return True
            with self._lock:
                self._spooling = True
                self._spool.append(record)
                while self._queue:
                    self._spool.append(self._pop())
            self._on_unreachable(error)
            return False

    def _drain_spool(self) -> bool:
        while True:
            with self._lock:
                item = self._spool.read_next()
            if item is None:
                with self._lock:
                    if not self._spool.has_unsent():
                        self._spool.reset_after_drain()
                        self._spooling = False
                        if self._queue or self._finishing:
                            self._lock.notify_all()
                self._say("back", f"finetrack: {self.url} is reachable again; run {self.id} caught up")
                return True
            record, end = item
            try:
                self._send(record)
            except ApiError as error:
                if error.kind != "reject":
                    self._on_unreachable(error)
                    return False
                self._reject(record, error)
            with self._lock:
                self._spool.advance(end)

    def _on_unreachable(self, error: ApiError) -> None:
        if error.kind == "auth":
            self._spool_only = True
            self._say("auth", f"finetrack: {self.url} rejected the API key ({error.code}: {error.message}); run {self.id} continues in {self._spool.path}; fix FINETRACK_API_KEY and run `npx finetrack sync`")
        else:
            self._say("degraded", f"finetrack: {self.url} is unreachable ({error.message}); run {self.id} is spooled to {self._spool.path} and retried in the background")

    def _send(self, record: Dict[str, Any]) -> None:
        kind = record["t"]
        try:
            if kind == "create":
                self._client.create_run(record["input"])
            elif kind == "points":
                self._client.log_points(self.id, [point_json(p) for p in record["points"]])
            elif kind == "update":
                body = {k: v for k, v in record["input"].items() if k != "id"}
                self._client.update_run(self.id, body)
            elif kind == "artifact":
                body = {k: v for k, v in record["input"].items() if k != "runId"}
                self._client.log_artifact(self.id, body)
            elif kind == "finish":
                body = {k: v for k, v in record["input"].items() if k != "id"}
                self._client.finish_run(self.id, body)
                self._finish_sent = True
        except ApiError as error:
            if error.kind == "server":
                signature = f"{kind}:{error.status}:{error.message}"
                self._same_error_count = self._same_error_count + 1 if signature == self._same_error else 1
                self._same_error = signature
                if self._same_error_count >= MAX_SAME_SERVER_ERRORS:
                    self._same_error_count = 0
                    raise ApiError("reject", error.status, error.code, f"{error.message} (the same server error {MAX_SAME_SERVER_ERRORS} times in a row)", error.data) from None
            raise
        self._same_error_count = 0
        self._same_error = None

    def _reject(self, record: Dict[str, Any], error: ApiError) -> None:
        """Keeps a refused record aside with the reason. For points, the server lists the bad ones
        (error.data['rejected']): only those are set aside and the rest is sent again once."""
        rejected = error.data.get("rejected") if isinstance(error.data, dict) else None
        if record["t"] == "points" and isinstance(rejected, list) and rejected:
            bad = {r.get("index") for r in rejected if isinstance(r, dict)}
            good = [p for i, p in enumerate(record["points"]) if i not in bad]
            self._spool.keep_rejected({"t": "points", "points": [p for i, p in enumerate(record["points"]) if i in bad]}, error.code, error.message)
            if good and len(good) < len(record["points"]):
                try:
                    self._send({"t": "points", "points": good})
                except ApiError as again:
                    if again.kind != "reject":
                        raise
                    self._spool.keep_rejected({"t": "points", "points": good}, again.code, again.message)
        else:
            self._spool.keep_rejected(record, error.code, error.message)
            if record["t"] == "finish":
                self._finish_sent = True
        self._say(f"reject-{error.code}", f"finetrack: {self.url} rejected a {record['t']} record of run {self.id} ({error.code}: {error.message}); it is kept in {self._spool.rejected_path}")


def _dataset_fields(dataset: Union[None, str, Mapping[str, Any]]) -> Optional[Dict[str, Any]]:
    if dataset is None:
        return None
    if isinstance(dataset, str):
        return {"name": dataset}
    if isinstance(dataset, Mapping):
        return {_camel(k): v for k, v in dataset.items() if v is not None}
    raise TypeError(f"finetrack: init dataset must be a name or a dict like {{'name': 'alpaca', 'version': 'v1'}}, got {_describe(dataset)}")


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def init(
    project: str = "default",
    name: Optional[str] = None,
    base_model: Optional[str] = None,
    dataset: Union[None, str, Mapping[str, Any]] = None,
    method: Optional[str] = None,
    config: Optional[Mapping[str, Any]] = None,
    tags: Optional[List[str]] = None,
    group: Optional[str] = None,
    notes: Optional[str] = None,
    seed: Optional[int] = None,
    base_model_params: Optional[int] = None,
    parent_run_id: Optional[str] = None,
    id: Optional[str] = None,  # noqa: A002 - the SDK's name
    system: Optional[Mapping[str, Any]] = None,
    url: Optional[str] = None,
    api_key: Optional[str] = None,
    mode: Optional[str] = None,
    home: Optional[str] = None,
    quiet: bool = False,
) -> Run:
    """Starts a run. Reusing an id (or FINETRACK_RUN_ID) resumes that run: creation is idempotent."""
    if not isinstance(project, str) or not project:
        raise TypeError("finetrack: init(project=...) needs the project slug, e.g. init(project='default')")
    settings = read_settings()
    if home is not None:
        settings = settings.__class__(**{**settings.__dict__, "home": home})
    connection = resolve_connection(settings, url=url, api_key=api_key, mode=mode)
    run_id = id or settings.run_id or new_run_id()
    if len(run_id) > MAX_RUN_ID_LENGTH or not _RUN_ID.match(run_id):
        raise TypeError(f"finetrack: init id must be 1-{MAX_RUN_ID_LENGTH} letters, digits, '.', '_' or '-', got '{run_id[:40]}'")
    info = capture_system_info()
    if system:
        info.update(system)
    if settings.sweep_id:
        info["sweepId"] = settings.sweep_id
    fields: Dict[str, Any] = {
        "project": project,
        "id": run_id,
        "name": name,
        "group": group,
        "baseModel": base_model,
        "baseModelParams": base_model_params,
        "dataset": _dataset_fields(dataset),
        "method": method,
        "config": dict(config) if config is not None else None,
        "tags": list(tags) if tags is not None else None,
        "notes": notes,
        "seed": seed,
        "parentRunId": parent_run_id,
        "system": info,
    }
    create_input = {k: v for k, v in fields.items() if v is not None}
    offline = connection.mode == "offline"
    client = None if offline else RestClient(connection.url, connection.api_key)
    spool = SpoolFile(connection.home, run_id)
    if offline:
        spool.claim()
    return Run(create_input, client, spool, offline, quiet)


@atexit.register
def _finish_live_runs() -> None:
    """A program that ends without finish() still ends its runs (failed if it is dying of an exception)."""
    failed = getattr(sys, "last_type", None) is not None
    for run in list(_live_runs):
        if not run._finished:
            run.finish(status="failed" if failed else "finished", timeout_s=5.0)

