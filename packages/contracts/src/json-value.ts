import { MAX_JSON_DEPTH, MAX_TIME_MS, MIN_TIME_MS } from "./limits";

/**
 * Text PostgreSQL can store as sent: no NUL (text and JSONB refuse it) and no lone UTF-16 surrogate
 * (UTF-8 cannot encode one: Node would silently turn it into U+FFFD, JSONB refuses its escape).
 */
export function isSafeText(text: string): boolean {
  // The quick test (no lookaround) passes nearly all text; only text with a NUL or a surrogate looks closer.
  return !SUSPECT.test(text) || (!text.includes("\u0000") && !LONE_SURROGATE.test(text));
}
const SUSPECT = /[\u0000\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_CHARS = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with NUL and lone surrogates written as `\uXXXX`, so a message quoting bad input is itself valid text. */
export function displayText(text: string): string {
  return text.replace(UNSAFE_CHARS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
export const SAFE_TEXT_MESSAGE = "expected valid Unicode text without NUL (U+0000) or lone surrogates";

/** A Date PostgreSQL's timestamptz and JavaScript both hold: years 0001–9999. */
export function isStorableDate(value: Date): boolean {
  const ms = value.getTime();
  return ms >= MIN_TIME_MS && ms <= MAX_TIME_MS;
}
export const DATE_RANGE_MESSAGE = "expected a valid date between 0001-01-01 and 9999-12-31";

function describe(value: unknown): string {
  if (value === null) return "null";
  if (typeof value !== "object") return typeof value;
  const name = Object.getPrototypeOf(value)?.constructor?.name;
  return typeof name === "string" && name ? `a ${name}` : "an object with a prototype";
}

/** Plain object: `{}`, JSON.parse output, or Object.create(null). Keys are data, never prototype lookups. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

export type JsonIssue = { path: (string | number)[]; message: string };

/**
 * The first problem that keeps `value` from being stored as JSONB exactly, or null. Allowed: plain
 * objects (any key, `__proto__` and `constructor` included), arrays, strings, booleans, null,
 * numbers (NaN and ±Infinity are stored as their names), undefined (dropped, as JSON does) and
 * Dates (stored as ISO text). Everything else (Map, Set, BigInt, class instances) is refused
 * rather than silently becoming `{}`.
 */
export function findJsonIssue(value: unknown, path: (string | number)[] = [], depth = 0): JsonIssue | null {
  if (depth > MAX_JSON_DEPTH) return { path, message: `expected at most ${MAX_JSON_DEPTH} levels of nesting` };
  switch (typeof value) {
    case "string":
      return isSafeText(value) ? null : { path, message: SAFE_TEXT_MESSAGE };
    case "number":
    case "boolean":
    case "undefined":
      return null;
    case "object": {
      if (value === null) return null;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          const issue = findJsonIssue(value[i], [...path, i], depth + 1);
          if (issue) return issue;
        }
        return null;
      }
      if (value instanceof Date) return isStorableDate(value) ? null : { path, message: DATE_RANGE_MESSAGE };
      if (!isPlainObject(value)) return { path, message: `expected a JSON value (object, array, string, number, boolean or null), got ${describe(value)}` };
      for (const key of Object.keys(value)) {
        if (!isSafeText(key)) return { path: [...path, key], message: `key: ${SAFE_TEXT_MESSAGE}` };
        const issue = findJsonIssue(value[key], [...path, key], depth + 1);
        if (issue) return issue;
      }
      return null;
    }
    default:
      return { path, message: `expected a JSON value (object, array, string, number, boolean or null), got ${describe(value)}` };
  }
}

/** Sets an own property whatever its name: `obj[k] = v` would change the prototype for `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** A shallow merge (`{...a, ...b}` semantics, later keys win) that treats every key as data. */
export function mergeRecords(...records: Record<string, unknown>[]): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null);
  for (const r of records) for (const key of Object.keys(r)) out[key] = r[key];
  return out;
}
