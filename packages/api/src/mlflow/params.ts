import { parseMlflowInt } from "@finetrack/core";
import { MlflowError } from "./errors";

/** A request's parameters: the JSON body of a POST, the query string of a GET (repeated keys → arrays). */
export type Params = Record<string, unknown>;

export function str(params: Params, name: string, options: { required?: boolean } = {}): string | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === "") {
    if (options.required) throw new MlflowError("INVALID_PARAMETER_VALUE", `Missing value for required parameter '${name}'.`);
    return undefined;
  }
  if (typeof v === "number") return String(v);
  if (typeof v !== "string") throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected a string`);
  return v;
}

export function int(params: Params, name: string): number | undefined {
  const v = params[name];
  if (v === undefined || v === null || v === "") return undefined;
  try {
    return parseMlflowInt(v, name, name);
  } catch {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected an integer`);
  }
}

export function strings(params: Params, name: string): string[] | undefined {
  const v = params[name];
  if (v === undefined || v === null) return undefined;
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === "string" || typeof x === "number")) {
    throw new MlflowError("INVALID_PARAMETER_VALUE", `Invalid value ${JSON.stringify(v)} for parameter '${name}' supplied: expected a list of strings`);
  }
  return list.map(String);
}

export function offsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString("base64url");
}

export function readOffsetToken(token: string | undefined): number {
  if (!token) return 0;
  try {
    const offset = JSON.parse(Buffer.from(token, "base64url").toString("utf8")).offset;
    if (Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // reported below
  }
  throw new MlflowError("INVALID_PARAMETER_VALUE", "Invalid page token: expected the next_page_token of a previous request");
}
