import type { z } from "zod";
import { WireError } from "./wire";

/** How a query parameter's text becomes its value, read off the contract's zod type. */
export type QueryKind = "string" | "number" | "boolean" | "list" | "json";

type Def = { type: string; innerType?: z.ZodType; in?: z.ZodType; options?: z.ZodType[] };

/** The kind of a field: optional/default/nullable/pipe wrappers are looked through. */
export function queryKind(schema: z.ZodType): QueryKind {
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  if (def.innerType) return queryKind(def.innerType);
  if (def.type === "pipe" && def.in) return queryKind(def.in);
  switch (def.type) {
    case "number":
    case "int":
      return "number";
    case "boolean":
      return "boolean";
    case "array":
      return "list";
    case "object":
    case "record":
    case "union":
    case "intersection":
      return "json";
    default:
      return "string";
  }
}

/**
 * The query string read against a z.object's fields: numbers as numbers, lists comma-separated
 * (or repeated, or a JSON array when an item holds a comma), objects as JSON text. A number or
 * boolean that does not parse is passed on as text so the contract names the field and what it
 * expected. Unknown parameters are refused: a typo must not silently widen a query.
 */
export function decodeQuery(params: URLSearchParams, shape: Record<string, z.ZodType>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    const schema = shape[name];
    if (!schema) {
      const known = Object.keys(shape);
      throw new WireError(400, "BAD_REQUEST", `unknown query parameter '${name}'; expected ${known.length ? `one of ${known.join(", ")}` : "none"}`, name);
    }
    const values = params.getAll(name);
    const kind = queryKind(schema);
    if (kind === "list") {
      out[name] = values.flatMap((v) => (v.startsWith("[") ? parseJson(name, v) : v.split(",").filter((x) => x !== "")));
      continue;
    }
    if (values.length > 1) throw new WireError(400, "BAD_REQUEST", `${name}: expected one value, got ${values.length}`, name);
    const text = values[0];
    if (kind === "number") out[name] = /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(text) ? Number(text) : text;
    else if (kind === "boolean") out[name] = text === "true" ? true : text === "false" ? false : text;
    else if (kind === "json") out[name] = parseJson(name, text);
    else out[name] = text;
  }
  return out;
}

function parseJson(name: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new WireError(400, "BAD_REQUEST", `${name}: expected JSON text (URL-encoded), got '${text.slice(0, 80)}'`, name);
  }
}
