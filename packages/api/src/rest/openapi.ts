import { AnyNumber, Dataset, MetricPoint, Project, Run, RunFilter, RunSort } from "@finetrack/contracts";
import { z } from "zod";
import { createDocument, type oas31, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject, type ZodOpenApiResponseObject } from "zod-openapi";
import type { FetchRoute } from "../fetch-routes";
import { appRouter } from "../root";
import { OPENAPI_PATH } from "./handler";
import { queryKind } from "./query";
import { REST_ROUTES, type RestRoute } from "./routes";
import { curlExample } from "./curl";
import { jsonResponse } from "./wire";

const NON_FINITE_RULE =
  'Plain JSON has no NaN or ±Infinity: they travel as the strings "NaN", "Infinity" and "-Infinity", in requests (a point\'s `value`) and in responses (any number).';

const DESCRIPTION = `Plain-JSON REST API of finetrack, for any language. Each endpoint calls the tRPC procedure named in \`x-trpc-procedure\` (same validation, same authorization); bodies are that procedure's input as plain JSON (no superjson envelope).

- **Auth**: \`Authorization: Bearer <api key>\` (create one with \`finetrack keys create\` or on the dashboard's API keys page). Needed when the server runs with \`FINETRACK_AUTH=on\`; the scope each endpoint needs is in \`x-finetrack-scope\` (read < write < admin).
- **Numbers**: ${NON_FINITE_RULE}
- **Times**: responses carry ISO 8601 strings (\`2026-01-31T12:00:00.000Z\`); a point's \`time\` may be an ISO string or milliseconds since the Unix epoch. Series and points arrays carry \`time\` as epoch milliseconds.
- **Query strings**: lists are comma-separated (\`keys=train/loss,val/loss\`; repeat the parameter or send a JSON array when an item has a comma); object parameters (\`filter\`, \`sort\`) are URL-encoded JSON text. Unknown parameters are refused.
- **Errors**: \`{"error": {"code": "BAD_REQUEST", "message": "points[3].value: expected a number …", "field": "points.3.value"}}\` with the HTTP status of the code (400, 401, 403, 404, 409, 413, 429, 503). Bad input never gets a 5xx and never writes part of a request.`;

export const ERROR_CODES = [
  "BAD_REQUEST", "UNAUTHORIZED", "FORBIDDEN", "NOT_FOUND", "METHOD_NOT_SUPPORTED", "CONFLICT", "PAYLOAD_TOO_LARGE",
  "TOO_MANY_REQUESTS", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE",
] as const;

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string().meta({ description: "What was wrong and what to do, naming the field." }),
      field: z.string().nullable().meta({ description: "Dotted path of the offending input field (`points.3.value`), or null." }),
      rejected: z
        .array(z.object({ index: z.number(), key: z.string().nullable(), step: z.number().nullable(), field: z.string(), message: z.string() }))
        .optional()
        .meta({ description: "A refused batch of points: every bad point, by its index in `points` (nothing of the batch was stored)." }),
      reason: z
        .string()
        .optional()
        .meta({ description: "A machine-readable reason where one helps a client decide: `KEY_PROJECT_MISMATCH` (the key is for another project: fix the key, keep the data)." }),
    }),
  })
  .meta({ id: "Error" });

const errorResponse = (id: string, description: string): ZodOpenApiResponseObject => ({ id, description, content: { "application/json": { schema: ErrorBody } } });
const ERRORS = {
  400: errorResponse("BadRequest", "Bad input: `message` and `field` name the field and what was expected."),
  401: errorResponse("Unauthorized", "No API key, or a revoked or unknown one (when auth is on)."),
  403: errorResponse("Forbidden", "The key lacks the scope, or belongs to another project."),
  404: errorResponse("NotFound", "The run or project does not exist."),
  409: errorResponse("Conflict", "Conflicts with what is stored (a run re-created with other fixed fields, a step already logged with another value)."),
  413: errorResponse("PayloadTooLarge", "Body over 8 MiB: split the batch."),
  429: errorResponse("TooManyRequests", "Too many requests: retry after the `Retry-After` header's seconds."),
  503: errorResponse("ServiceUnavailable", "The database is unreachable: retry with backoff."),
};

const ANY_NUMBER = { oneOf: [{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity"] }], description: "A number; NaN and ±Infinity as strings." };
const anyNumberCheck = (AnyNumber as unknown as { _zod: { def: { fn: unknown } } })._zod.def.fn;

/** A list query field is comma-separated: OpenAPI's form style without explode. */
function queryField(schema: z.ZodType): z.ZodType {
  return queryKind(schema) === "list" ? schema.meta({ param: { style: "form", explode: false } }) : schema;
}

/** Object query fields travel as JSON text: a string whose content is the object's schema (JSON Schema 2020-12). */
function markJsonQueryParams(doc: oas31.OpenAPIObject): void {
  for (const route of REST_ROUTES) {
    const op = doc.paths?.[route.path]?.[route.method.toLowerCase() as "get"];
    for (const param of (op?.parameters ?? []) as oas31.ParameterObject[]) {
      const field = param.in === "query" ? route.query?.shape[param.name] : undefined;
      if (!field || queryKind(field as z.ZodType) !== "json") continue;
      param.schema = { type: "string", contentMediaType: "application/json", contentSchema: param.schema } as oas31.SchemaObject;
      param.description = `${param.description ?? "A JSON object"}, sent as URL-encoded JSON text.`;
    }
  }
}

/** The response schema: the route's, else the procedure's own `.output()`. */
export function outputSchema(route: RestRoute): z.ZodType | undefined {
  const procedure = (appRouter._def.procedures as unknown as Record<string, { _def: { output?: z.ZodType } }>)[route.procedure];
  return route.output ?? procedure?._def.output;
}

function operation(route: RestRoute): ZodOpenApiOperationObject {
  const output = outputSchema(route);
  if (!output) throw new Error(`${route.method} ${route.path}: ${route.procedure} declares no output; give the route an output schema`);
  const query = route.query && z.object(Object.fromEntries(Object.entries(route.query.shape).map(([k, s]) => [k, queryField(s as z.ZodType)])));
  const writes = route.method !== "GET";
  const scopeNote = route.scope === "public" ? "No API key needed." : `Needs an API key with \`${route.scope}\` scope when auth is on.`;
  return {
    operationId: route.procedure,
    summary: route.summary,
    description: [route.description, scopeNote].filter(Boolean).join("\n\n"),
    tags: [route.tag],
    security: route.scope === "public" ? [] : [{ bearerAuth: [] }],
    "x-finetrack-scope": route.scope,
    "x-trpc-procedure": route.procedure,
    "x-codeSamples": [{ lang: "Shell", label: "curl", source: curlExample(route) }],
    ...(route.params || query ? { requestParams: { ...(route.params && { path: route.params }), ...(query && { query }) } } : {}),
    ...(route.body && {
      requestBody: { required: true, content: { "application/json": { schema: route.body, ...(route.example?.body !== undefined && { example: route.example.body }) } } },
    }),
    responses: {
      200: { description: "OK", content: { "application/json": { schema: output } } },
      400: ERRORS[400],
      ...(route.scope !== "public" && { 401: ERRORS[401], 403: ERRORS[403] }),
      ...((route.params || writes) && { 404: ERRORS[404] }),
      ...(writes && { 409: ERRORS[409] }),
      ...(route.body && { 413: ERRORS[413] }),
      429: ERRORS[429],
      503: ERRORS[503],
    },
  } as ZodOpenApiOperationObject;
}

function build(): oas31.OpenAPIObject {
  const paths: ZodOpenApiPathsObject = {};
  for (const route of REST_ROUTES) {
    paths[route.path] ??= {};
    const item = paths[route.path] as Record<string, ZodOpenApiOperationObject>;
    if (item[route.method.toLowerCase()]) throw new Error(`two routes for ${route.method} ${route.path}`);
    item[route.method.toLowerCase()] = operation(route);
  }
  const doc = createDocument(
    {
      openapi: "3.1.0",
      info: { title: "finetrack REST API", version: "1", description: DESCRIPTION },
      tags: [...new Set(REST_ROUTES.map((r) => r.tag))].map((name) => ({ name })),
      paths,
      components: {
        schemas: { Run, Project, Dataset, MetricPoint, RunFilter, RunSort },
        securitySchemes: { bearerAuth: { type: "http", scheme: "bearer", description: "A finetrack API key (`ft_…`)." } },
      },
    },
    {
      // z.custom schemas carry their own rendering: AnyNumber here, JsonObject & co. in their .meta().
      allowEmptySchema: { custom: true },
      override: ({ jsonSchema, zodSchema }) => {
        const def = (zodSchema as unknown as { _zod: { def: { type: string; fn?: unknown } } })._zod.def;
        if (def.type === "date") Object.assign(jsonSchema, { type: "string", format: "date-time" });
        else if (def.type === "custom" && def.fn === anyNumberCheck) Object.assign(jsonSchema, ANY_NUMBER);
      },
    },
  );
  markJsonQueryParams(doc);
  return doc;
}

let cached: oas31.OpenAPIObject | undefined;

/** The OpenAPI 3.1 document of REST_ROUTES, rendered from the contracts' zod schemas (once). */
export function openApiDocument(): oas31.OpenAPIObject {
  cached ??= build();
  return cached;
}

export const openApiRoute: FetchRoute = {
  prefix: OPENAPI_PATH,
  async handle(req) {
    if (req.method !== "GET" && req.method !== "HEAD") {
      return jsonResponse(405, { error: { code: "METHOD_NOT_SUPPORTED", message: `${OPENAPI_PATH} answers GET`, field: null } }, { allow: "GET" });
    }
    return jsonResponse(200, openApiDocument(), { "cache-control": "public, max-age=60" });
  },
};
