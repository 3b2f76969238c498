import { validate, compileErrors } from "@readme/openapi-parser";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { appRouter } from "../root";
import { curlExample } from "./curl";
import { openApiDocument, outputSchema } from "./openapi";
import { decodeQuery } from "./query";
import { REST_ROUTES } from "./routes";

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: string; inputs: unknown[]; output?: unknown } }>;
const METHODS = ["get", "put", "post", "patch", "delete"] as const;

describe("the OpenAPI document", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = openApiDocument();
    expect(doc.openapi).toBe("3.1.0");
    const result = await validate(structuredClone(doc) as never);
    expect(result.valid, result.valid ? "" : compileErrors(result)).toBe(true);
  });

  it("types the custom schemas: NaN-able numbers and JSON objects", () => {
    const schemas = openApiDocument().components!.schemas! as Record<string, any>;
    expect(schemas.MetricPoint.properties.value.oneOf).toEqual([{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity"] }]);
    expect(schemas.Run.properties.config).toMatchObject({ type: "object" });
    expect(schemas.Run.properties.metricStats).toMatchObject({ type: "object" });
  });

  it("lists exactly the routes of the table, each with its procedure, auth, errors and a curl sample", () => {
    const doc = openApiDocument();
    const inDoc = Object.entries(doc.paths ?? {}).flatMap(([path, item]) => METHODS.filter((m) => item?.[m]).map((m) => `${m.toUpperCase()} ${path}`));
    expect(inDoc.sort()).toEqual(REST_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    for (const route of REST_ROUTES) {
      const op = doc.paths![route.path]![route.method.toLowerCase() as "get"]! as Record<string, any>;
      expect(op["x-trpc-procedure"]).toBe(route.procedure);
      expect(op.security).toEqual(route.scope === "public" ? [] : [{ bearerAuth: [] }]);
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(route.scope === "public" ? ["200", "400"] : ["200", "400", "401", "403"]));
      expect(op.responses["200"].content["application/json"].schema).toBeDefined();
      if (route.body) expect(op.requestBody.content["application/json"].schema).toBeDefined();
      expect(op["x-codeSamples"][0].source).toBe(curlExample(route));
      const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect((op.parameters ?? []).filter((p: { in: string }) => p.in === "path").map((p: { name: string }) => p.name)).toEqual(pathParams);
    }
  });
});

describe("the route table", () => {
  it("names real procedures, each once, with the HTTP method their kind calls for", () => {
    for (const route of REST_ROUTES) {
      const procedure = procedures[route.procedure];
      expect(procedure, route.procedure).toBeDefined();
      expect(route.method === "GET", `${route.method} ${route.path}`).toBe(procedure._def.type === "query");
    }
    expect(new Set(REST_ROUTES.map((r) => r.procedure)).size).toBe(REST_ROUTES.length);
  });

  it("documents the procedure's own output schema when it declares one, and gives one when it does not", () => {
    for (const route of REST_ROUTES) {
      const declared = procedures[route.procedure]._def.output;
      if (declared) expect(route.output, `${route.path}: the procedure declares its output; do not repeat it`).toBeUndefined();
      expect(outputSchema(route), route.path).toBeDefined();
    }
  });

  it("covers every field of each procedure's input with a path parameter, a query parameter or the body", () => {
    for (const route of REST_ROUTES) {
      const input = procedures[route.procedure]._def.inputs[0] as z.ZodObject | undefined;
      const shape = (input as { shape?: Record<string, unknown> } | undefined)?.shape;
      if (!shape) continue; // no input, or a parser function (logBatch: its body is LogBatchInput)
      const offered = new Set([
        ...Object.keys(route.params?.shape ?? {}).map((p) => Object.entries(route.fields ?? {}).find(([, rest]) => rest === p)?.[0] ?? p),
        ...Object.keys(route.query?.shape ?? {}),
        ...Object.keys((route.body as z.ZodObject | undefined)?.shape ?? {}),
      ]);
      expect([...offered].sort(), `${route.method} ${route.path}`).toEqual(Object.keys(shape).sort());
    }
  });

  it("has examples the procedures accept, as the handler turns them into input", () => {
    for (const route of REST_ROUTES) {
      for (const name of Object.keys(route.params?.shape ?? {})) expect(route.example?.params?.[name], `${route.path} example ${name}`).toBeDefined();
      const request = { params: route.example?.params ?? {}, query: decodeQuery(new URLSearchParams(route.example?.query), route.query?.shape ?? {}), body: structuredClone(route.example?.body ?? {}) as Record<string, unknown> };
      const input = route.input ? route.input(request) : { ...request.body, ...request.query, ...request.params };
      const parser = procedures[route.procedure]._def.inputs[0] as z.ZodType | ((v: unknown) => unknown) | undefined;
      if (!parser) continue;
      if (typeof parser === "function") expect(() => parser(input), route.path).not.toThrow();
      else expect(parser.safeParse(input).error, route.path).toBeUndefined();
    }
  });
});
