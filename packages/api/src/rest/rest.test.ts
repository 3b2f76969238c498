import { dereference } from "@readme/openapi-parser";
import { createApiKey, createProject } from "@finetrack/core";
import { connectDb, freePort, type Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import Ajv2020 from "ajv/dist/2020";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../context";
import { createHttpServer, type HttpServer } from "../http-server";
import "../index";
import { createCaller } from "../root";
import { handleRestRequest, matchRestRoute } from "./handler";
import { REST_ROUTES } from "./routes";
import { openApiDocument } from "./openapi";
import { encodeJson } from "./wire";

let db: Db;
let server: HttpServer;
let base: string;
const keys: Record<string, string> = {};
let documented: (method: string, path: string, status: number, body: unknown) => string | null;

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  base = new URL(server.url).origin;
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "q", name: "Q" });
  for (const [name, project, scope] of [["admin", "p", "admin"], ["write", "p", "write"], ["read", "p", "read"], ["otherWrite", "q", "write"]] as const) {
    keys[name] = (await createApiKey(db, { project, name, scopes: [scope] })).secret;
  }
  // Every response below is checked against the schema the document gives for its route and status.
  const doc = (await dereference(structuredClone(openApiDocument()) as never)) as ReturnType<typeof openApiDocument>;
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  ajv.addFormat("date-time", (s: string) => /^\d{4}-\d\d-\d\dT/.test(s) && !Number.isNaN(Date.parse(s)));
  const errorSchema = ajv.compile(doc.components!.schemas!.Error as object);
  documented = (method, pathname, status, body) => {
    const match = matchRestRoute(method, pathname);
    if (!match || "allowed" in match) return errorSchema(body) && [404, 405].includes(status) ? null : `undocumented ${status}: ${JSON.stringify(body)}`;
    const response = (doc.paths![match.route.path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>)[method.toLowerCase()].responses[status];
    if (!response) return `${method} ${match.route.path} has no documented ${status} response (got ${JSON.stringify(body).slice(0, 300)})`;
    const validate = ajv.compile(response.content!["application/json"].schema);
    return validate(body) ? null : `${method} ${match.route.path} ${status} does not match the document: ${ajv.errorsText(validate.errors)} in ${JSON.stringify(body).slice(0, 300)}`;
  };
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Answer = { status: number; body: any; headers: Headers };

async function call(method: string, path: string, opts: { key?: keyof typeof keys; body?: unknown; raw?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (opts.key) headers.authorization = `Bearer ${keys[opts.key]}`;
  const res = await fetch(`${base}${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const body = await res.json();
  expect(documented(method, new URL(path, base).pathname, res.status, body)).toBeNull();
  return { status: res.status, body, headers: res.headers };
}

async function countPoints(runId: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = $1`, [runId]);
  return rows[0].n;
}

/** Training loss falls throughout; validation bottoms out at step 200 and climbs after: overfitting. */
function overfittingPoints(): { key: string; step: number; value: number | string; epoch: number }[] {
  const points: { key: string; step: number; value: number | string; epoch: number }[] = [];
  for (let step = 0; step <= 600; step += 5) {
    points.push({ key: "train/loss", step, value: 2 * Math.exp(-step / 120) + 0.05, epoch: step / 100 });
    if (step % 20 === 0) points.push({ key: "val/loss", step, value: 0.9 + ((step - 200) / 200) ** 2 * 0.3 + (step < 200 ? (200 - step) / 200 : 0), epoch: step / 100 });
  }
  return points;
}

describe("REST API /api/v1 over HTTP", () => {
  it("logs a run as any language would: create, points with NaN/±Infinity and ISO times, finish, diagnosis", async () => {
    const create = { project: "p", id: "rest-1", name: "lora-r8", baseModel: "gpt2", method: "lora", dataset: { name: "alpaca", version: "v1" }, config: { learning_rate: 3e-4, lora_rank: 8 } };
    const created = await call("POST", "/api/v1/runs", { key: "write", body: create });
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ id: "rest-1", status: "running", baseModel: "gpt2", method: "lora", dataset: { name: "alpaca", version: "v1" }, config: { learning_rate: 3e-4 } });
    expect(typeof created.body.createdAt).toBe("string");
    expect((await call("POST", "/api/v1/runs", { key: "write", body: create })).body).toEqual(created.body);

    const special = [
      { key: "grad_norm", step: 1, value: "NaN", time: "2026-01-31T12:00:00.000Z" },
      { key: "grad_norm", step: 2, value: "Infinity", time: 1769860800000 },
      { key: "grad_norm", step: 3, value: "-Infinity" },
    ];
    const logged = await call("POST", "/api/v1/runs/rest-1/points", { key: "write", body: { points: [...overfittingPoints(), ...special] } });
    expect(logged.body).toEqual({ inserted: overfittingPoints().length + 3, duplicates: 0 });
    expect((await call("POST", "/api/v1/runs/rest-1/points", { key: "write", body: { points: special } })).body).toEqual({ inserted: 0, duplicates: 3 });

    const series = await call("GET", "/api/v1/runs/rest-1/series?keys=grad_norm,val/loss&maxPoints=100", { key: "read" });
    const grad = series.body.series.find((s: { key: string }) => s.key === "grad_norm");
    expect(grad).toMatchObject({ runId: "rest-1", step: [1, 2, 3], value: ["NaN", "Infinity", "-Infinity"], time: [Date.parse("2026-01-31T12:00:00.000Z"), 1769860800000, expect.any(Number)] });
    expect(series.body.series.find((s: { key: string }) => s.key === "val/loss").total).toBe(31);

    expect((await call("POST", "/api/v1/runs/rest-1/heartbeat", { key: "write" })).body).toMatchObject({ id: "rest-1", status: "running" });
    const finished = await call("POST", "/api/v1/runs/rest-1/finish", { key: "write", body: { status: "finished", summary: { train_runtime: 12.5, best: "NaN" } } });
    expect(finished.body).toMatchObject({ status: "finished", summary: { train_runtime: 12.5, best: "NaN" } });
    expect(Date.parse(finished.body.finishedAt)).toBeGreaterThan(0);

    const diagnosis = await call("GET", "/api/v1/runs/rest-1/diagnosis", { key: "read" });
    expect(diagnosis.body).toMatchObject({ runId: "rest-1", trainKey: "train/loss", valKey: "val/loss", diagnosis: { verdict: "overfitting" } });
    // The same procedure, called through tRPC in-process, gives the same answer in plain JSON.
    const caller = createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${keys.read}` }), authEnabled: true }));
    expect(diagnosis.body).toEqual(JSON.parse(encodeJson(await caller.analysis.diagnose({ runId: "rest-1" }))));
  });

  it("reads: runs (filter and sort as JSON), one run, keys, full-resolution points, artifacts, projects, datasets, factor impact, health", async () => {
    for (const [i, lr] of [[2, 1e-3], [3, 1e-2]] as const) {
      await call("POST", "/api/v1/runs", { key: "write", body: { project: "p", id: `rest-${i}`, name: `r${i}`, config: { learning_rate: lr }, tags: ["sweep"] } });
    }
    const filter = encodeURIComponent(JSON.stringify({ tags: ["sweep"] }));
    const sort = encodeURIComponent(JSON.stringify({ field: "config.learning_rate", direction: "asc" }));
    const listed = await call("GET", `/api/v1/runs?project=p&filter=${filter}&sort=${sort}&limit=1`, { key: "read" });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toEqual(["rest-2"]);
    const next = await call("GET", `/api/v1/runs?project=p&filter=${filter}&sort=${sort}&limit=1&cursor=${encodeURIComponent(listed.body.nextCursor)}`, { key: "read" });
    expect(next.body.items.map((r: { id: string }) => r.id)).toEqual(["rest-3"]);

    expect((await call("GET", "/api/v1/runs/rest-2", { key: "read" })).body).toMatchObject({ id: "rest-2", config: { learning_rate: 1e-3 } });
    const patched = await call("PATCH", "/api/v1/runs/rest-2", { key: "write", body: { notes: "baseline", summary: { best_val_loss: 1.5 } } });
    expect(patched.body).toMatchObject({ id: "rest-2", notes: "baseline", summary: { best_val_loss: 1.5 } });

    await call("POST", "/api/v1/runs/rest-2/points", { key: "write", body: { points: [3, 1, 2].map((step) => ({ key: "loss", step, value: step / 10 })) } });
    expect((await call("GET", "/api/v1/runs/rest-2/keys", { key: "read" })).body).toEqual({ keys: ["loss"] });
    const page = await call("GET", "/api/v1/runs/rest-2/points?key=loss&limit=2", { key: "read" });
    expect(page.body).toMatchObject({ step: [1, 2], value: [0.1, 0.2], nextAfterStep: 2 });
    expect((await call("GET", "/api/v1/runs/rest-2/points?key=loss&afterStep=2", { key: "read" })).body).toMatchObject({ step: [3], nextAfterStep: null });

    const artifact = { name: "adapter", kind: "lora-adapter", uri: "file:///tmp/adapter.safetensors", bytes: 1024, metadata: { rank: 8 } };
    expect((await call("POST", "/api/v1/runs/rest-2/artifacts", { key: "write", body: artifact })).body).toMatchObject({ runId: "rest-2", ...artifact });
    expect((await call("GET", "/api/v1/runs/rest-2/artifacts", { key: "read" })).body).toMatchObject([{ name: "adapter", bytes: 1024 }]);

    expect((await call("POST", "/api/v1/projects", { key: "admin", body: { slug: "rest-new", name: "New" } })).body).toMatchObject({ slug: "rest-new", description: "" });
    expect((await call("GET", "/api/v1/projects", { key: "read" })).body.map((p: { slug: string }) => p.slug)).toEqual(["p"]);
    expect((await call("GET", "/api/v1/projects/p", { key: "read" })).body).toMatchObject({ slug: "p", name: "P" });
    expect((await call("POST", "/api/v1/datasets", { key: "write", body: { project: "p", name: "alpaca", version: "v2", trainSize: 900 } })).body).toMatchObject({ name: "alpaca", version: "v2", trainSize: 900 });

    const impact = await call("GET", `/api/v1/projects/p/factor-impact?target=${encodeURIComponent("summary.best_val_loss")}&factors=learning_rate`, { key: "read" });
    expect(impact.status).toBe(200);
    expect(impact.body).toMatchObject({ target: "summary.best_val_loss", direction: "minimize", factors: ["learning_rate"], result: null });
    expect(impact.body.reason).toMatch(/run/);

    const health = await call("GET", "/api/v1/health");
    expect(health.body).toMatchObject({ ok: true });
    expect(Date.parse(health.body.time)).toBeGreaterThan(0);
  });

  it("the same run id in two projects: each project's key creates, logs, reads and finishes its own", async () => {
    for (const [key, project, value] of [["write", "p", 1], ["otherWrite", "q", 2]] as const) {
      const created = await call("POST", "/api/v1/runs", { key, body: { project, id: "rest-shared", config: { value } } });
      expect(created.status).toBe(200);
      expect((await call("POST", "/api/v1/runs/rest-shared/points", { key, body: { points: [{ key: "loss", step: 0, value }] } })).body).toEqual({ inserted: 1, duplicates: 0 });
      await call("POST", "/api/v1/runs/rest-shared/artifacts", { key, body: { name: "adapter", kind: "lora-adapter", uri: `file:///${project}` } });
    }
    await call("POST", "/api/v1/runs/rest-shared/finish", { key: "otherWrite", body: { status: "failed" } });
    for (const [key, project, value] of [["write", "p", 1], ["otherWrite", "q", 2]] as const) {
      expect((await call("GET", "/api/v1/runs/rest-shared", { key })).body).toMatchObject({ config: { value }, status: project === "q" ? "failed" : "running" });
      expect((await call("GET", "/api/v1/runs/rest-shared/points?key=loss", { key })).body).toMatchObject({ step: [0], value: [value] });
      expect((await call("GET", "/api/v1/runs/rest-shared/artifacts", { key })).body).toMatchObject([{ uri: `file:///${project}` }]);
    }
    // Naming the other project with p's key: 404, like a project that does not exist.
    expect((await call("GET", "/api/v1/runs/rest-shared?project=q", { key: "read" })).status).toBe(404);
    expect((await call("GET", "/api/v1/runs/rest-shared?project=p", { key: "read" })).body).toMatchObject({ config: { value: 1 } });
  });

  it("bad input: a 4xx naming the field and what was expected, and nothing written", async () => {
    await call("POST", "/api/v1/runs", { key: "write", body: { project: "p", id: "rest-bad" } });
    const badValue = await call("POST", "/api/v1/runs/rest-bad/points", { key: "write", body: { points: [{ key: "loss", step: 0, value: 1 }, { key: "loss", step: 1, value: "nan" }] } });
    expect(badValue.status).toBe(400);
    expect(badValue.body.error).toMatchObject({ code: "BAD_REQUEST", field: "points.1.value" });
    expect(badValue.body.error.message).toMatch(/^points\[1\]\.value: expected a number/);
    // Every bad point of the refused batch, by index, for clients that set them aside and resend the rest.
    expect(badValue.body.error.rejected).toEqual([expect.objectContaining({ index: 1, key: "loss", step: 1, field: "points.1.value" })]);
    const badStep = await call("POST", "/api/v1/runs/rest-bad/points", { key: "write", body: { points: [{ key: "loss", step: -1, value: 1 }] } });
    expect(badStep.body.error).toMatchObject({ code: "BAD_REQUEST", field: "points.0.step", message: "points[0].step: expected a non-negative step" });
    const badTime = await call("POST", "/api/v1/runs/rest-bad/points", { key: "write", body: { points: [{ key: "loss", step: 0, value: 1, time: "yesterday" }] } });
    expect(badTime.body.error).toMatchObject({ code: "BAD_REQUEST", field: "points.0.time" });
    expect(badTime.body.error.message).toContain("ISO 8601");
    expect(await countPoints("rest-bad")).toBe(0);

    await call("POST", "/api/v1/runs/rest-bad/points", { key: "write", body: { points: [{ key: "loss", step: 0, value: 1 }] } });
    const conflict = await call("POST", "/api/v1/runs/rest-bad/points", { key: "write", body: { points: [{ key: "loss", step: 1, value: 2 }, { key: "loss", step: 0, value: 5 }] } });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("CONFLICT");
    expect(await countPoints("rest-bad")).toBe(1);

    const badRunId = await call("POST", "/api/v1/runs/-bad/points", { key: "write", body: { points: [] } });
    expect(badRunId.body.error).toMatchObject({ code: "BAD_REQUEST", field: "id" });
    expect(badRunId.body.error.message).toMatch(/^id: expected letters/);
    const missing = await call("GET", "/api/v1/runs/nope", { key: "read" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toContain("'nope'");
    expect((await call("GET", "/api/v1/runs/nope/series?keys=loss", { key: "read" })).status).toBe(404);

    const badCreate = await call("POST", "/api/v1/runs", { key: "write", body: { project: "p", name: "", baseModelParams: 1.5 } });
    expect(badCreate.body.error).toMatchObject({ code: "BAD_REQUEST", field: "name" });
    expect(badCreate.body.error.message).toContain("baseModelParams: expected an integer number of parameters");
    const badStatus = await call("POST", "/api/v1/runs/rest-bad/finish", { key: "write", body: { status: "done" } });
    expect(badStatus.body.error).toMatchObject({ field: "status", message: "status: expected one of 'finished', 'failed', 'killed'" });

    const badLimit = await call("GET", "/api/v1/runs?project=p&limit=many", { key: "read" });
    expect(badLimit.body.error).toMatchObject({ code: "BAD_REQUEST", field: "limit" });
    const badFilter = await call("GET", "/api/v1/runs?project=p&filter={tags", { key: "read" });
    expect(badFilter.body.error).toMatchObject({ code: "BAD_REQUEST", field: "filter" });
    expect(badFilter.body.error.message).toContain("expected JSON text");
    const badSortField = await call("GET", `/api/v1/runs?project=p&sort=${encodeURIComponent(JSON.stringify({ field: "lr" }))}`, { key: "read" });
    expect(badSortField.body.error).toMatchObject({ code: "BAD_REQUEST", field: "sort.field" });
    const unknownParam = await call("GET", "/api/v1/runs?project=p&limt=5", { key: "read" });
    expect(unknownParam.body.error).toMatchObject({ code: "BAD_REQUEST", field: "limt" });
    expect(unknownParam.body.error.message).toContain("limit");
    const noKeys = await call("GET", "/api/v1/runs/rest-bad/series", { key: "read" });
    expect(noKeys.body.error).toMatchObject({ code: "BAD_REQUEST", field: "keys" });
    const badEncoding = await call("GET", "/api/v1/runs/%E0%A4%A/keys", { key: "read" });
    expect(badEncoding.body.error).toMatchObject({ code: "BAD_REQUEST", field: "id" });
  });

  it("a body that is not a JSON object is a 400 about the body", async () => {
    const malformed = await call("POST", "/api/v1/runs", { key: "write", raw: '{"project": "p",' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.message).toMatch(/^the request body is not valid JSON/);
    const array = await call("POST", "/api/v1/runs", { key: "write", raw: "[1,2]" });
    expect(array.body.error.message).toBe("expected a JSON object as the request body, got an array");
    const empty = await call("POST", "/api/v1/runs", { key: "write", raw: "" });
    expect(empty.body.error).toMatchObject({ code: "BAD_REQUEST", field: "project" });
  });

  it("auth: no key 401, lower scope or another project's key 403 (the tRPC procedures' own checks)", async () => {
    const anonymous = await call("POST", "/api/v1/runs", { body: { project: "p", id: "rest-anon" } });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.message).toContain("Authorization: Bearer");
    expect((await call("GET", "/api/v1/runs/rest-1")).status).toBe(401);
    expect((await call("POST", "/api/v1/runs", { key: "read", body: { project: "p", id: "rest-ro" } })).status).toBe(403);
    expect((await call("POST", "/api/v1/projects", { key: "write", body: { slug: "rest-x", name: "X" } })).status).toBe(403);
    const foreign = await call("POST", "/api/v1/runs/rest-1/points", { key: "otherWrite", body: { points: [{ key: "loss", step: 999, value: 1 }] } });
    // Another project's run is not theirs to see: refused as the tRPC procedure refuses it.
    expect([400, 403, 404]).toContain(foreign.status);
    expect(foreign.body.error.field).toBe("id");
    expect([403, 404]).toContain((await call("GET", "/api/v1/runs/rest-1/diagnosis", { key: "otherWrite" })).status);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "Run" WHERE id IN ('rest-anon', 'rest-ro')`);
    expect(rows[0].n).toBe(0);
    expect((await call("GET", "/api/v1/runs/rest-1/points?key=loss", { key: "read" })).body.step).not.toContain(999);
  });

  it("routing: an unknown path is a JSON 404 pointing at the docs, a wrong method a 405 with Allow", async () => {
    const unknown = await call("GET", "/api/v1/experiments", { key: "read" });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toContain("/api/openapi.json");
    const wrong = await call("DELETE", "/api/v1/runs/rest-1", { key: "write" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("GET, PATCH");
    expect((await call("GET", "/api/v1/runs/rest-1/", { key: "read" })).status).toBe(200);
  });

  it("refuses a body over the limit with 413 in the documented error shape, and closes that connection", async () => {
    const tooLarge = await call("POST", "/api/v1/runs/rest-1/points", { key: "write", raw: JSON.stringify({ points: [], pad: "x".repeat(9 * 1024 * 1024) }) });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE", field: null });
    // The unread rest of the body must not poison a kept-alive connection for the next requests.
    expect(tooLarge.headers.get("connection")).toBe("close");
    for (let i = 0; i < 3; i++) expect((await call("GET", "/api/v1/runs/rest-1", { key: "read" })).status).toBe(200);
  });

  it("answers junk in every field of every route with a documented 4xx, never a 5xx", async () => {
    const junk: unknown[] = [null, "NaN", { $: [-1.5] }, "\u0000".repeat(300)];
    for (const route of REST_ROUTES) {
      const path = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => (name === "slug" ? "p" : "rest-1"));
      const bodies: unknown[] = route.body ? [null, [], "text", ...Object.keys((route.body as { shape?: object }).shape ?? {}).flatMap((field) => junk.map((v) => ({ ...(route.example?.body as object), [field]: v })))] : [];
      const queries = Object.keys(route.query?.shape ?? {}).flatMap((field) => ["[", "{", "NaN", "-1"].map((v) => `${field}=${encodeURIComponent(v)}`));
      for (const body of bodies) {
        const res = await call(route.method, path, { key: "admin", raw: JSON.stringify(body) });
        expect(res.status, `${route.method} ${path} ${JSON.stringify(body).slice(0, 200)}`).toBeLessThan(500);
      }
      for (const query of queries) {
        const res = await call(route.method, `${path}?${query}`, { key: "admin", ...(route.body && { body: route.example?.body ?? {} }) });
        expect(res.status, `${route.method} ${path}?${query}`).toBeLessThan(500);
      }
    }
  }, 300_000);

  it("serves the OpenAPI document at /api/openapi.json", async () => {
    const res = await fetch(`${base}/api/openapi.json`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
    // The response check used throughout is not vacuous.
    expect(documented("GET", "/api/v1/runs/rest-1", 200, { id: 1 })).toMatch(/does not match/);
    expect(documented("GET", "/api/v1/runs/rest-1", 418, { error: {} })).toMatch(/no documented 418/);
  });
});

describe("the handler Next mounts (handleRestRequest)", () => {
  it("answers 503 with Retry-After when the database cannot be reached", async () => {
    const dead = connectDb(`postgres://finetrack:x@127.0.0.1:${await freePort()}/none`);
    try {
      for (const authEnabled of [true, false]) {
        const req = new Request("http://localhost/api/v1/runs/rest-1", { headers: { authorization: `Bearer ${keys.read}` } });
        const res = await handleRestRequest(req, { db: dead, authEnabled });
        const body = await res.json();
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("5");
        expect(documented("GET", "/api/v1/runs/rest-1", 503, body)).toBeNull();
      }
    } finally {
      await dead.close();
    }
  });

  const send = (method: string, path: string, body?: string) =>
    handleRestRequest(new Request(`http://localhost${path}`, { method, body, headers: { authorization: `Bearer ${keys.write}` } }), { db, authEnabled: true });

  it("answers like the standalone server", async () => {
    const res = await send("GET", "/api/v1/runs/rest-1");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: "rest-1", status: "finished" });
  });

  it("refuses a body over the limit with 413 in the documented error shape", async () => {
    const res = await send("POST", "/api/v1/runs/rest-1/points", JSON.stringify({ points: [], pad: "x".repeat(9 * 1024 * 1024) }));
    expect(res.status).toBe(413);
    const body = await res.json();
    expect(documented("POST", "/api/v1/runs/rest-1/points", 413, body)).toBeNull();
    expect(body.error).toMatchObject({ code: "PAYLOAD_TOO_LARGE" });
  });
});
