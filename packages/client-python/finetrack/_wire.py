"""JSON on the wire and in the spool, written to match the TypeScript side exactly.

- REST (/api/v1): plain JSON; NaN and +-Infinity travel as the strings "NaN", "Infinity", "-Infinity".
- Spool files ($FINETRACK_HOME/spool/<run>.jsonl), shared with the TypeScript SDK so that
  `finetrack sync` uploads what Python spooled: point batches column-wise
  ({"t":"p","keys":[...],"k":[...],"s":[...],"v":[...],"e":[...],"tm":[...]}, non-finite values as
  strings), every other record as superjson ({"json": record, "meta": {"values": {path: ["number"]}}}),
  the format packages/sdk/src/spool-file.ts reads.
"""

import json
import math
from typing import Any, Dict, List, Optional, Tuple


def encode_number(value: float) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    return value


def decode_number(value: Any) -> float:
    if isinstance(value, str):
        return {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}[value]
    return value


def plain(value: Any) -> Any:
    """A JSON-safe copy: non-finite floats become their string names; tuples become lists."""
    if isinstance(value, float):
        return encode_number(value)
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def dumps(value: Any) -> str:
    return json.dumps(plain(value), allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _escape_key(key: str) -> str:
    return key.replace("\\", "\\\\").replace(".", "\\.")


def superjson_encode(record: Dict[str, Any]) -> str:
    """superjson.stringify(record) for JSON-like data, with NaN/+-Infinity annotated as numbers."""
    annotations: Dict[str, List[str]] = {}

    def walk(value: Any, path: List[str]) -> Any:
        if isinstance(value, float) and not math.isfinite(value):
            annotations[".".join(path)] = ["number"]
            return encode_number(value)
        if isinstance(value, dict):
            return {str(k): walk(v, path + [_escape_key(str(k))]) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [walk(v, path + [str(i)]) for i, v in enumerate(value)]
        return value

    out: Dict[str, Any] = {"json": walk(record, [])}
    if annotations:
        out["meta"] = {"values": annotations, "v": 1}
    return json.dumps(out, allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def _split_path(path: str) -> List[str]:
    parts, current, i = [], "", 0
    while i < len(path):
        c = path[i]
        if c == "\\" and i + 1 < len(path):
            current += path[i + 1]
            i += 2
            continue
        if c == ".":
            parts.append(current)
            current = ""
        else:
            current += c
        i += 1
    parts.append(current)
    return parts


def superjson_decode(data: Dict[str, Any]) -> Dict[str, Any]:
    """The inverse of superjson_encode (numbers and Dates as ISO strings; other kinds are left as they are)."""
    value = data["json"]
    for path, kinds in (data.get("meta") or {}).get("values", {}).items():
        if not isinstance(kinds, list) or kinds[:1] != ["number"]:
            continue
        parts = _split_path(path)
        target = value
        for part in parts[:-1]:
            target = target[int(part)] if isinstance(target, list) else target[part]
        last = parts[-1]
        if isinstance(target, list):
            target[int(last)] = decode_number(target[int(last)])
        else:
            target[last] = decode_number(target[last])
    return value


Point = Tuple[str, int, float, Optional[float], Optional[int]]  # key, step, value, epoch, time ms


def encode_points_line(points: List[Point]) -> str:
    keys: List[str] = []
    index: Dict[str, int] = {}
    line = {"t": "p", "keys": keys, "k": [], "s": [], "v": [], "e": [], "tm": []}
    for key, step, value, epoch, time_ms in points:
        i = index.get(key)
        if i is None:
            i = index[key] = len(keys)
            keys.append(key)
        line["k"].append(i)
        line["s"].append(step)
        line["v"].append(encode_number(float(value)))
        line["e"].append(epoch)
        line["tm"].append(time_ms)
    return json.dumps(line, allow_nan=False, ensure_ascii=False, separators=(",", ":"))


def encode_spool_line(record: Dict[str, Any]) -> str:
    if record["t"] == "points":
        return encode_points_line(record["points"]) + "\n"
    return superjson_encode(record) + "\n"


def decode_spool_line(line: str) -> Dict[str, Any]:
    parsed = json.loads(line)
    if parsed.get("t") != "p":
        return superjson_decode(parsed)
    points = []
    for j in range(len(parsed["s"])):
        points.append((parsed["keys"][parsed["k"][j]], parsed["s"][j], decode_number(parsed["v"][j]), parsed["e"][j], parsed["tm"][j]))
    return {"t": "points", "points": points}


def point_json(point: Point) -> Dict[str, Any]:
    key, step, value, epoch, time_ms = point
    out: Dict[str, Any] = {"key": key, "step": step, "value": encode_number(float(value))}
    if epoch is not None:
        out["epoch"] = epoch
    if time_ms is not None:
        out["time"] = time_ms
    return out
