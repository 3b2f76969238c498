/** Thrown for malformed input; the message names the field and what was expected. */
export class AnalysisInputError extends Error {
  readonly field: string;
  constructor(field: string, expected: string, got?: unknown) {
    super(`${field}: expected ${expected}${got === undefined ? "" : `, got ${describe(got)}`}`);
    this.name = "AnalysisInputError";
    this.field = field;
  }
}

function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === "number" || typeof value === "boolean" || value === null) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}
