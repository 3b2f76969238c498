/**
 * JSONB cannot hold NaN or ±Infinity; they are stored as the strings "NaN", "Infinity" and
 * "-Infinity" (Postgres casts those strings to float8, so numeric filters keep working).
 */
export function toJsonSafe<T>(value: T): T {
  if (typeof value === "number") return (Number.isFinite(value) ? value : String(value)) as T;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return value.toISOString() as T;
  if (Array.isArray(value)) return value.map(toJsonSafe) as T;
  // Null prototype: every key is data (`out["__proto__"] = v` on `{}` would set the prototype instead).
  const out: Record<string, unknown> = Object.create(null);
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJsonSafe(v);
  return out as T;
}

/** JSON with object keys sorted, so two values compare equal as text whatever their key order (JSONB reorders keys). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(v).sort()) out[key] = v[key];
    return out;
  });
}

/** A stored number that may have been encoded by toJsonSafe. */
export function fromJsonNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  return Number(value);
}

export function asRecord(value: unknown): Record<string, unknown> {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
