/** Nested JSON as dotted keys to display text (arrays as JSON text). */
export function flattenForDisplay(value: unknown, prefix = "", out: Record<string, string> = {}): Record<string, string> {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenForDisplay(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (prefix) out[prefix] = typeof value === "string" ? value : JSON.stringify(value);
  return out;
}

/** Nested JSON as [dotted key, leaf value] pairs (arrays are leaves); keys are data, never prototype lookups. */
export function flattenLeaves(value: unknown, prefix = "", out: [string, unknown][] = []): [string, unknown][] {
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) flattenLeaves(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  if (prefix) out.push([prefix, value]);
  return out;
}
