import { flattenJson } from "@finetrack/contracts";
import type { Scalar } from "./run-rows";

/** A JSON object as table cells: dotted paths (4 levels at most) to scalars; arrays and deeper objects as JSON text. */
export function jsonCells(value: unknown): Record<string, Scalar> {
  return flattenJson(value, { maxDepth: 4, leaf: toScalar });
}

/** A JSON value as a table cell: scalars as they are, arrays and objects as JSON text. */
export function toScalar(value: unknown): Scalar {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return JSON.stringify(value);
}
