import { AppError } from "../shared/app-error";
import { MLFLOW_LIMITS, type MlflowBatch, type MlflowKeyValue, type MlflowMetric } from "./mlflow-types";

// MLflow's rule for metric, param and tag names (mlflow/utils/validation.py).
const VALID_NAME = /^[/\p{L}\p{N}_.\- ]*$/u;
const BAD_CHARACTERS = "Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), and slashes (/).";
const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity };

const bad = (message: string, field: string) => new AppError("BAD_REQUEST", message, { field });

/** posixpath.normpath, for MLflow's "names must not resolve to other names" rule. */
function normpath(path: string): string {
  if (path === "") return ".";
  const absolute = path.startsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  const joined = (absolute ? "/" : "") + out.join("/");
  return joined || (absolute ? "/" : ".");
}

/** Checks a metric, param or tag name as MLflow does; `what` is "metric", "parameter" or "tag". */
export function checkMlflowName(name: unknown, what: "metric" | "parameter" | "tag", field: string): string {
  const label = what === "metric" ? "Metric" : what === "parameter" ? "Parameter" : "Tag";
  if (name === undefined || name === null) throw bad(`${label} name cannot be None. A key name must be provided.`, field);
  if (typeof name !== "string") throw bad(`Invalid ${what} name: expected a string, got ${JSON.stringify(name)}.`, field);
  if (!VALID_NAME.test(name)) throw bad(`Invalid ${what} name: '${name}'. ${BAD_CHARACTERS}`, field);
  const norm = normpath(name);
  if (norm !== name || norm === "." || norm.startsWith("..") || norm.startsWith("/")) {
    throw bad(`Invalid ${what} name: '${name}'. Names may be treated as files in certain cases, and must not resolve to other names when treated as such. This name would resolve to '${norm}'`, field);
  }
  const entity = what === "metric" ? "Metric name" : what === "parameter" ? "Param key" : "Tag key";
  checkLength(entity, MLFLOW_LIMITS.keyLength, name, field);
  return name;
}

function checkLength(entity: string, limit: number, value: string, field: string): void {
  if (value.length > limit) throw bad(`${entity} '${value.slice(0, 250)}' had length ${value.length}, which exceeded length limit of ${limit}`, field);
}

/** A 64-bit integer field as JSON numbers or (proto3 JSON) decimal strings carry it. */
export function parseMlflowInt(value: unknown, field: string, what: string): number {
  const n = typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
  if (typeof n !== "number" || !Number.isSafeInteger(n)) throw bad(`expected ${what} as an integer, got ${JSON.stringify(value)}`, field);
  return n;
}

function parseMetric(raw: unknown, i: number): MlflowMetric {
  const at = `metrics[${i}]`;
  if (!raw || typeof raw !== "object") throw bad("expected a metric object {key, value, timestamp, step}", at);
  const m = raw as Record<string, unknown>;
  const key = checkMlflowName(m.key, "metric", `${at}.key`);
  const value = typeof m.value === "number" ? m.value : typeof m.value === "string" && m.value in NON_FINITE ? NON_FINITE[m.value] : typeof m.value === "string" && m.value.trim() !== "" && Number.isFinite(Number(m.value)) ? Number(m.value) : undefined;
  if (value === undefined) {
    throw bad(`Got invalid value ${JSON.stringify(m.value)} for metric '${key}' (timestamp=${String(m.timestamp)}). Please specify value as a valid double (64-bit floating point)`, `${at}.value`);
  }
  const timestamp = m.timestamp === undefined || m.timestamp === null ? undefined : parseMlflowInt(m.timestamp, `${at}.timestamp`, "timestamp (milliseconds)");
  if (timestamp === undefined || timestamp < 0 || timestamp > 8.64e15) {
    throw bad(`Got invalid timestamp ${String(m.timestamp)} for metric '${key}' (value=${value}). Timestamp must be a nonnegative long (64-bit integer) `, `${at}.timestamp`);
  }
  const step = m.step === undefined || m.step === null ? 0 : parseMlflowInt(m.step, `${at}.step`, "step");
  return { key, value, timestamp, step };
}

function parseKeyValue(raw: unknown, at: string, what: "parameter" | "tag"): MlflowKeyValue {
  if (!raw || typeof raw !== "object") throw bad(`expected a ${what === "tag" ? "tag" : "param"} object {key, value}`, at);
  const r = raw as Record<string, unknown>;
  const key = checkMlflowName(r.key, what, `${at}.key`);
  const v = r.value;
  if (typeof v !== "string" && typeof v !== "number" && typeof v !== "boolean") throw bad(`expected a string value for ${what} '${key}', got ${JSON.stringify(v)}`, `${at}.value`);
  const value = String(v);
  if (what === "parameter") checkLength("Param value", MLFLOW_LIMITS.paramValueLength, value, `${at}.value`);
  else checkLength("Tag value", MLFLOW_LIMITS.tagValueLength, value, `${at}.value`);
  return { key, value };
}

function arrayField(body: Record<string, unknown>, name: string): unknown[] {
  const v = body[name];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw bad(`expected an array of ${name}`, name);
  return v;
}

function checkBatchLimit(entity: string, limit: number, length: number, field: string): void {
  if (length > limit) {
    throw bad(`A batch logging request can contain at most ${limit} ${entity}. Got ${length} ${entity}. Please split up ${entity} across multiple requests and try again.`, field);
  }
}

/**
 * A runs/log-batch request checked whole, with MLflow's limits and messages, before anything is
 * written: counts first (cheap), then every entity.
 */
export function parseMlflowBatch(input: unknown): MlflowBatch {
  if (!input || typeof input !== "object" || Array.isArray(input)) throw bad("expected a JSON object", "body");
  const body = input as Record<string, unknown>;
  const runId = body.run_id ?? body.run_uuid;
  if (typeof runId !== "string" || runId === "") throw bad("Missing value for required parameter 'run_id'.", "run_id");
  const metrics = arrayField(body, "metrics");
  const params = arrayField(body, "params");
  const tags = arrayField(body, "tags");
  checkBatchLimit("metrics", MLFLOW_LIMITS.metricsPerBatch, metrics.length, "metrics");
  checkBatchLimit("params", MLFLOW_LIMITS.paramsPerBatch, params.length, "params");
  checkBatchLimit("tags", MLFLOW_LIMITS.tagsPerBatch, tags.length, "tags");
  checkBatchLimit("metrics, params, and tags", MLFLOW_LIMITS.entitiesPerBatch, metrics.length + params.length + tags.length, "metrics");
  const parsedParams = params.map((p, i) => parseKeyValue(p, `params[${i}]`, "parameter"));
  const seen = new Map<string, string>();
  const dupes = new Set<string>();
  for (const p of parsedParams) {
    if (seen.has(p.key) && seen.get(p.key) !== p.value) dupes.add(p.key);
    seen.set(p.key, p.value);
  }
  if (dupes.size > 0) {
    throw bad(`Duplicate parameter keys have been submitted: [${[...dupes].map((k) => `'${k}'`).join(", ")}]. Please ensure the request contains only one param value per param key.`, "params");
  }
  return {
    run_id: runId,
    metrics: metrics.map(parseMetric),
    params: parsedParams,
    tags: tags.map((t, i) => parseKeyValue(t, `tags[${i}]`, "tag")),
  };
}
