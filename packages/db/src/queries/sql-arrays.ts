/**
 * Postgres array literals built directly: ingest passes ~10 arrays of 10,000 numbers per batch,
 * and node-pg's generic array serializer is the slowest part of that path.
 * NaN, Infinity and -Infinity print as Postgres spells them for float8.
 */
export function numberArray(values: ArrayLike<number>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) out += (i ? "," : "") + values[i];
  return out + "}";
}

export function nullableNumberArray(values: ArrayLike<number | null>): string {
  let out = "{";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    out += (i ? "," : "") + (v === null ? "NULL" : v);
  }
  return out + "}";
}
