import { formatIssuePath } from "./errors";
import { displayText, isPlainObject, isSafeText, SAFE_TEXT_MESSAGE, setOwn } from "./json-value";
import type { RejectedPoint } from "./metric";

/** superjson's wire shape: the JSON, and for values JSON cannot hold, their paths and types. */
export type WirePayload = { json: unknown; meta?: { values?: unknown; referentialEqualities?: unknown; v?: number } };
type Annotation = [string] | [string, Record<string, Annotation>];

/** Deeper input is refused (a recursion bound; JSON objects themselves are capped at MAX_JSON_DEPTH). */
const MAX_WIRE_DEPTH = 256;

/** A request input the wire format cannot turn into a value: a 400 naming the field. */
export class WireInputError extends Error {
  readonly field: string;
  /** For a logBatch-shaped input refused only for its points: every bad point, as the batch's own validation lists them. */
  readonly rejected?: RejectedPoint[];
  constructor(path: readonly (string | number)[], message: string, rejected?: RejectedPoint[]) {
    super(`${formatIssuePath(path)}: ${message}`);
    this.name = "WireInputError";
    this.field = path.join(".") || "input";
    if (rejected) this.rejected = rejected;
  }
}

/** True when JSON.stringify keeps `value` exactly: plain objects, arrays, strings, booleans, null, finite numbers. */
function isPlainJson(value: unknown): boolean {
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value) && !Object.is(value, -0);
    case "object": {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) if (!isPlainJson(value[i])) return false;
        return true;
      }
      if (!isPlainObject(value)) return false;
      for (const key in value) if (!isPlainJson((value as Record<string, unknown>)[key])) return false;
      return true;
    }
    default:
      return false;
  }
}

const escapeKey = (key: string) => (key.includes("\\") || key.includes(".") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key);
const join = (prefix: string | null, key: string) => (prefix === null ? escapeKey(key) : `${prefix}.${escapeKey(key)}`);

/** A leaf JSON cannot hold, as superjson encodes it; undefined when plain JSON keeps it. */
function encodeLeaf(value: unknown): { json: unknown; type: string } | undefined {
  switch (typeof value) {
    case "undefined":
      return { json: null, type: "undefined" };
    case "number":
      if (Number.isNaN(value)) return { json: "NaN", type: "number" };
      if (value === Infinity) return { json: "Infinity", type: "number" };
      if (value === -Infinity) return { json: "-Infinity", type: "number" };
      if (Object.is(value, -0)) return { json: "-0", type: "number" };
      return undefined;
    case "bigint":
      return { json: value.toString(), type: "bigint" };
    case "object":
      if (value instanceof Date) return { json: Number.isNaN(value.getTime()) ? "Invalid Date" : value.toISOString(), type: "Date" };
      if (value instanceof RegExp) return { json: String(value), type: "regexp" };
      if (value instanceof URL) return { json: value.href, type: "URL" };
      return undefined;
    default:
      return undefined;
  }
}

/** Writes `value` as JSON, recording annotations under `out` with paths relative to where `out` is rooted. */
function encode(value: unknown, path: string | null, out: Record<string, Annotation>, depth: number): unknown {
  if (depth > MAX_WIRE_DEPTH) throw new Error(`value nested deeper than ${MAX_WIRE_DEPTH} levels (or cyclic)`);
  const leaf = encodeLeaf(value);
  if (leaf) {
    out[path ?? ""] = [leaf.type];
    return leaf.json;
  }
  if (typeof value !== "object" || value === null) return value;
  if (value instanceof Map || value instanceof Set) {
    const inner: Record<string, Annotation> = Object.create(null);
    const rows = value instanceof Map ? [...value].map(([k, v], i) => [encode(k, `${i}.0`, inner, depth + 2), encode(v, `${i}.1`, inner, depth + 2)])
      : [...value].map((v, i) => encode(v, String(i), inner, depth + 1));
    out[path ?? ""] = Object.keys(inner).length ? [value instanceof Map ? "map" : "set", inner] : [value instanceof Map ? "map" : "set"];
    return rows;
  }
  if (Array.isArray(value)) return value.map((v, i) => encode(v, join(path, String(i)), out, depth + 1));
  const source = !isPlainObject(value) && typeof (value as { toJSON?: unknown }).toJSON === "function" ? (value as { toJSON(): unknown }).toJSON() : value;
  if (source !== value) return encode(source, path, out, depth + 1);
  // A null-prototype result, so `__proto__` and friends are ordinary keys.
  const json: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value)) json[key] = encode((value as Record<string, unknown>)[key], join(path, key), out, depth + 1);
  return json;
}

function serialize(value: unknown): WirePayload {
  if (isPlainJson(value)) return { json: value };
  const out: Record<string, Annotation> = Object.create(null);
  const json = encode(value, null, out, 0);
  const keys = Object.keys(out);
  if (keys.length === 0) return { json };
  // A transformed root is annotated by its type alone, as superjson does.
  const values = keys.length === 1 && keys[0] === "" && !(typeof value === "object" && value !== null && isPlainContainer(value)) ? out[""] : { ...out };
  return { json, meta: { values, v: 1 } };
}

const isPlainContainer = (value: object) => Array.isArray(value) || isPlainObject(value);

/**
 * The first thing in just-parsed JSON that cannot become our input: text PostgreSQL cannot store,
 * a number literal beyond float8 (`1e309` parses as Infinity; a real Infinity travels as the
 * string "Infinity" with an annotation), or nesting past MAX_WIRE_DEPTH. Returns the path, reversed.
 * Text already found safe in this payload is remembered (a batch repeats its keys 10,000 times).
 */
function findWireIssue(value: unknown, depth: number, safe: Set<string>): { path: (string | number)[]; message: string } | null {
  if (typeof value === "string") return isSafeTextCached(value, safe) ? null : { path: [], message: SAFE_TEXT_MESSAGE };
  if (typeof value === "number") {
    return Number.isFinite(value) ? null : { path: [], message: "expected a finite number; a JSON literal like 1e309 overflows float8 (send ±Infinity explicitly)" };
  }
  if (typeof value !== "object" || value === null) return null;
  if (depth >= MAX_WIRE_DEPTH) return { path: [], message: `expected at most ${MAX_WIRE_DEPTH} levels of nesting` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const issue = findWireIssue(value[i], depth + 1, safe);
      if (issue) return (issue.path.push(i), issue);
    }
    return null;
  }
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (!isSafeTextCached(key, safe)) return { path: [key], message: `key: ${SAFE_TEXT_MESSAGE}` };
    const issue = findWireIssue((value as Record<string, unknown>)[key], depth + 1, safe);
    if (issue) return (issue.path.push(key), issue);
  }
  return null;
}

/**
 * When the first issue is inside `points[i]` of an object whose other fields are fine (a logBatch),
 * every point with an issue, so that a client drops just those and sends the rest again.
 */
function rejectedPoints(json: unknown, path: readonly (string | number)[]): RejectedPoint[] | undefined {
  if (path[0] !== "points" || typeof path[1] !== "number" || !isPlainObject(json)) return undefined;
  const { points, ...rest } = json as Record<string, unknown>;
  if (!Array.isArray(points) || findWireIssue(rest, 0, new Set())) return undefined;
  const safe = new Set<string>();
  const rejected: RejectedPoint[] = [];
  points.forEach((point, index) => {
    const issue = findWireIssue(point, 2, safe);
    if (!issue) return;
    const p = isPlainObject(point) ? (point as Record<string, unknown>) : {};
    const key = typeof p.key === "string" ? displayText(p.key) : null;
    const step = typeof p.step === "number" ? p.step : null;
    rejected.push({ index, key, step, field: ["points", index, ...issue.path.reverse()].join("."), message: issue.message });
  });
  return rejected;
}

function isSafeTextCached(text: string, safe: Set<string>): boolean {
  if (safe.has(text)) return true;
  if (!isSafeText(text)) return false;
  if (text.length <= 64 && safe.size < 4096) safe.add(text);
  return true;
}

function parsePath(text: string, legacy: boolean): string[] {
  const out: string[] = [];
  let segment = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && (text[i + 1] === "." || (!legacy && text[i + 1] === "\\"))) {
      segment += text[++i];
    } else if (c === "\\" && !legacy) {
      throw new WireInputError([], `invalid annotation path '${text}'`);
    } else if (c === ".") {
      out.push(segment);
      segment = "";
    } else segment += c;
  }
  out.push(segment);
  return out;
}

/** A child that is really there: own properties and array indices only, never a prototype's. */
function childOf(node: unknown, key: string, path: string[]): unknown {
  if (typeof node === "object" && node !== null && Object.prototype.hasOwnProperty.call(node, key)) return (node as Record<string, unknown>)[key];
  throw new WireInputError(path, "annotation names a path that is not in the input");
}

function decodeLeaf(value: unknown, type: unknown, path: string[]): unknown {
  switch (type) {
    case "undefined":
      return undefined;
    case "number":
      if (value === "NaN") return NaN;
      if (value === "Infinity") return Infinity;
      if (value === "-Infinity") return -Infinity;
      if (value === "-0") return -0;
      break;
    case "bigint":
      if (typeof value === "string" && /^-?\d{1,4096}$/.test(value)) return BigInt(value);
      break;
    case "Date":
      if (typeof value === "string") return new Date(value);
      break;
    case "map":
      if (Array.isArray(value) && value.every((row) => Array.isArray(row) && row.length === 2)) return new Map(value as [unknown, unknown][]);
      break;
    case "set":
      if (Array.isArray(value)) return new Set(value);
      break;
    default:
      throw new WireInputError(path, `unsupported value type ${JSON.stringify(type)}; send JSON values, numbers, Dates or BigInts`);
  }
  throw new WireInputError(path, `expected the JSON encoding of a ${String(type)}, got ${JSON.stringify(value)?.slice(0, 40)}`);
}

/** The value `annotation` describes: children first (paths relative to `node`), then the node's own type. */
function decodeAnnotated(node: unknown, annotation: unknown, path: string[], legacy: boolean): unknown {
  if (!Array.isArray(annotation) || annotation.length < 1 || annotation.length > 2) throw new WireInputError(path, "invalid annotation");
  if (annotation[1] !== undefined) node = decodeChildren(node, annotation[1], path, legacy);
  return decodeLeaf(node, annotation[0], path);
}

function decodeChildren(root: unknown, annotations: unknown, base: string[], legacy: boolean): unknown {
  if (!isPlainObject(annotations)) throw new WireInputError(base, "invalid annotations");
  for (const [text, annotation] of Object.entries(annotations)) {
    const rel = parsePath(text, legacy);
    const path = [...base, ...rel];
    let parent = root;
    for (let i = 0; i < rel.length - 1; i++) parent = childOf(parent, rel[i], path.slice(0, base.length + i + 1));
    const last = rel[rel.length - 1];
    const value = decodeAnnotated(childOf(parent, last, path), annotation, path, legacy);
    if (Array.isArray(parent)) parent[Number(last)] = value;
    else setOwn(parent as Record<string, unknown>, last, value);
  }
  return root;
}

function deserialize(payload: unknown): unknown {
  if (!isPlainObject(payload)) throw new WireInputError([], "expected a superjson payload { json, meta? }");
  const { json, meta } = payload as WirePayload;
  const issue = findWireIssue(json, 0, new Set());
  if (issue) throw new WireInputError(issue.path.reverse(), issue.message, rejectedPoints(json, issue.path));
  if (meta === undefined || meta === null || meta.values === undefined) return json;
  const legacy = (meta.v ?? 0) < 1;
  // referentialEqualities only re-link objects that superjson (without dedupe) also sends in full, so they are not needed.
  return Array.isArray(meta.values) ? decodeAnnotated(json, meta.values, [], legacy) : decodeChildren(json, meta.values, [], legacy);
}

/**
 * superjson's wire format (NaN, ±Infinity, -0, Date, BigInt, Map, Set cross it), written here so
 * that keys are data: superjson refuses `__proto__`, `constructor` and `prototype` anywhere in a
 * value (a 500 for a config key `constructor`) and its copy drops `__proto__`. Plain-JSON payloads
 * (a metric batch, a series) are sent as `{ json }` untouched and read in place. Reading also
 * refuses, naming the field, text PostgreSQL cannot store and number literals that overflow float8.
 * Interoperates with plain superjson on the other side for values superjson itself accepts.
 */
export const wireTransformer = {
  serialize: serialize as (value: unknown) => any,
  deserialize: deserialize as (payload: any) => any,
};
