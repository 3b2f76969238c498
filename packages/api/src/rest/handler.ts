import { formatIssuePath, formatZodError } from "@finetrack/contracts";
import { isDatabaseUnavailable, type Db } from "@finetrack/db";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { ZodError } from "zod";
import { createContext } from "../context";
import { formatError } from "../errors";
import type { FetchRoute } from "../fetch-routes";
import { createCaller } from "../root";
import { decodeQuery } from "./query";
import { REST_ROUTES, type RestRequest, type RestRoute } from "./routes";
import { jsonResponse, readJsonBody, tooLargeMessage, WireError } from "./wire";

export const REST_PREFIX = "/api/v1/";
export const OPENAPI_PATH = "/api/openapi.json";
export const API_DOCS_PAGE = "/docs/api";

type Compiled = { route: RestRoute; pattern: RegExp; names: string[] };

const COMPILED: Compiled[] = REST_ROUTES.map((route) => {
  const names: string[] = [];
  const source = route.path.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\\?\{(\w+)\\?\}/g, (_m, name: string) => {
    names.push(name);
    return "([^/]+)";
  });
  return { route, pattern: new RegExp(`^${source}$`), names };
});

/** The route for a method and path, or the methods the path allows (405), or nothing (404). */
export function matchRestRoute(method: string, pathname: string): { route: RestRoute; raw: string[]; names: string[] } | { allowed: string[] } | null {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, "") : pathname;
  const allowed: string[] = [];
  for (const c of COMPILED) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    if (c.route.method === method) return { route: c.route, raw: m.slice(1), names: c.names };
    allowed.push(c.route.method);
  }
  return allowed.length ? { allowed } : null;
}

function errorResponse(status: number, code: string, message: string, field: string | null = null, headers: Record<string, string> = {}, extra: object = {}): Response {
  return jsonResponse(status, { error: { code, message, field, ...extra } }, headers);
}

/** The database is down or restarting: the server's state, not the request's fault, so clients retry. */
const unavailable = (message = "the database is unavailable (restarting or unreachable); retry in a few seconds") =>
  errorResponse(503, "SERVICE_UNAVAILABLE", message, null, { "retry-after": "5" });

const pathOf = (field: string): PropertyKey[] => field.split(".").map((p) => (/^\d+$/.test(p) ? Number(p) : p));

/** A procedure's error in REST terms: its input field names become the request's (`runId` → `id`). */
function procedureError(error: TRPCError, route: RestRoute): Response {
  if (error.code === "SERVICE_UNAVAILABLE") return unavailable(error.message);
  if (error.code === "INTERNAL_SERVER_ERROR" && isDatabaseUnavailable(error.cause)) return unavailable();
  const status = getHTTPStatusCodeFromError(error);
  const formatted = formatError(error); // also logs an internal error's cause, and shows none of it
  const rename = (path: readonly PropertyKey[]): PropertyKey[] => {
    const head = typeof path[0] === "string" ? route.fields?.[path[0]] : undefined;
    if (!head) return [...path];
    // A path param sent as a one-element list (`runIds: [id]`) has no index on the REST side.
    return [head, ...path.slice(typeof path[1] === "number" && route.params?.shape[head] ? 2 : 1)];
  };
  let { message, field } = formatted;
  const cause = error.cause;
  if (cause instanceof ZodError) {
    const renamed = new ZodError(cause.issues.map((i) => ({ ...i, path: rename(i.path) })));
    message = formatZodError(renamed);
    field = renamed.issues[0]?.path.join(".") || null;
  } else if (field) {
    const from = pathOf(field);
    const to = rename(from);
    const prefix = formatIssuePath(from);
    if (message.startsWith(prefix)) message = formatIssuePath(to) + message.slice(prefix.length);
    field = to.join(".");
  }
  // A refused metric batch names every bad point (formatError's `rejected`), for clients that set them aside.
  // A machine-readable reason (KEY_PROJECT_MISMATCH: a key used for another project's run is for a person to fix, not bad input).
  const { rejected, reason } = formatted as { rejected?: unknown; reason?: string };
  return errorResponse(status, error.code, message, field, {}, { ...(rejected ? { rejected } : {}), ...(reason ? { reason } : {}) });
}

async function readRequest(req: Request, url: URL, route: RestRoute, names: string[], raw: string[]): Promise<RestRequest> {
  const params: Record<string, string> = {};
  names.forEach((name, i) => {
    try {
      params[name] = decodeURIComponent(raw[i]);
    } catch {
      throw new WireError(400, "BAD_REQUEST", `${name}: the path segment '${raw[i]}' is not valid URL encoding`, name);
    }
  });
  const query = decodeQuery(url.searchParams, route.query?.shape ?? {});
  const body = route.body ? await readJsonBody(req) : {};
  return { params, query, body };
}

type Resolver = (input: unknown) => Promise<unknown>;

/** Serves every route of REST_ROUTES by calling its tRPC procedure in-process. */
export async function handleRestRequest(req: Request, opts: { db: Db; authEnabled?: boolean }): Promise<Response> {
  const url = new URL(req.url);
  const method = req.method.toUpperCase();
  const match = matchRestRoute(method, url.pathname);
  if (!match) {
    return errorResponse(404, "NOT_FOUND", `no endpoint ${method} ${url.pathname}; every endpoint is listed in ${OPENAPI_PATH} and on the dashboard's ${API_DOCS_PAGE} page`);
  }
  if ("allowed" in match) {
    const allow = match.allowed.join(", ");
    return errorResponse(405, "METHOD_NOT_SUPPORTED", `${url.pathname} answers ${allow}, not ${method}`, null, { allow });
  }
  const { route } = match;
  try {
    const request = await readRequest(req, url, route, match.names, match.raw);
    const input = route.input ? route.input(request) : { ...request.body, ...request.query, ...request.params };
    const ctx = await createContext({ db: opts.db, headers: req.headers, authEnabled: opts.authEnabled });
    let call: unknown = createCaller(ctx);
    for (const part of route.procedure.split(".")) call = (call as Record<string, unknown>)[part];
    return jsonResponse(200, await (call as Resolver)(input));
  } catch (error) {
    if (error instanceof WireError) return errorResponse(error.status, error.code, error.message, error.field);
    if (error instanceof TRPCError) return procedureError(error, route);
    if (isDatabaseUnavailable(error)) return unavailable();
    console.error(`${route.method} ${route.path}:`, error);
    return errorResponse(500, "INTERNAL_SERVER_ERROR", "internal error; see the server log");
  }
}

export const restApiRoute: FetchRoute = {
  prefix: REST_PREFIX,
  handle: handleRestRequest,
  payloadTooLarge: (maxBytes) => ({ error: { code: "PAYLOAD_TOO_LARGE", message: tooLargeMessage(maxBytes), field: null } }),
};
