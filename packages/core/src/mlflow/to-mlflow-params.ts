import { jsonCells } from "../analysis/json-cells";

/**
 * A run's config as MLflow params: flat keys (nested objects dotted), every value as text.
 * Params the MLflow API stored are strings already and come back verbatim.
 */
export function toMlflowParams(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(jsonCells(config))) out[key] = value === null ? "None" : String(value);
  return out;
}
