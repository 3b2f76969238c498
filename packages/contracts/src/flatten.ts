export interface FlattenOptions<T> {
  /** Objects this deep are leaves (callers that make columns of the paths cap it). */
  maxDepth?: number;
  /** Maps each leaf (a table cell, display text); the leaf itself by default. */
  leaf?: (value: unknown) => T;
}

/**
 * Nested JSON as dot paths to leaves: { optimizer: { lr: 1 } } -> { "optimizer.lr": 1 }. Plain
 * objects (null-prototype ones included) are walked; arrays, Dates and other values are leaves. An
 * empty object has no path. Keys are data: the result has no prototype, so `__proto__` or
 * `constructor` is a path like any other, never a prototype lookup.
 */
export function flattenJson<T = unknown>(value: unknown, options: FlattenOptions<T> = {}): Record<string, T> {
  const out: Record<string, T> = Object.create(null);
  const maxDepth = options.maxDepth ?? Infinity;
  const leaf = options.leaf ?? ((v: unknown) => v as T);
  const walk = (v: unknown, prefix: string, depth: number): void => {
    if (!isPlainObject(v) || depth >= maxDepth) {
      if (prefix) out[prefix] = leaf(v);
      return;
    }
    for (const [k, child] of Object.entries(v)) walk(child, prefix ? `${prefix}.${k}` : k, depth + 1);
  };
  walk(value, "", 0);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
