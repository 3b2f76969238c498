import type { Scalar } from "./run-rows";

const MAX_DEPTH = 4;

/** Flattens nested objects to dotted paths; arrays and deeper objects become JSON text. Keys are data (null-prototype result). */
export function flattenJson(value: unknown, prefix = "", out: Record<string, Scalar> = Object.create(null), depth = 0): Record<string, Scalar> {
  if (value === null || typeof value !== "object" || Array.isArray(value) || depth >= MAX_DEPTH) {
    if (prefix) out[prefix] = toScalar(value);
    return out;
  }
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    flattenJson(v, prefix ? `${prefix}.${k}` : k, out, depth + 1);
  }
  return out;
}

function toScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}
