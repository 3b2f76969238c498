import { createApiKey, createProject, createRun } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFetchHandler } from "./fetch-handler";

let db: Db;
let secret: string;
beforeAll(async () => {
  db = await createTestDb();
  await createProject(db, { slug: "p", name: "P" });
  secret = (await createApiKey(db, { project: "p", name: "k", scopes: ["write"] })).secret;
  await createRun(db, { project: "p", id: "r1", name: "fetched" });
});
afterAll(() => db?.close());

describe("createFetchHandler (Next's route)", () => {
  const handler = () => createFetchHandler({ db, authEnabled: true });
  const get = (path: string, input: unknown, headers: Record<string, string> = {}) =>
    handler()(new Request(`http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify(superjson.serialize(input)))}`, { headers }));

  it("serves queries with the same auth as the standalone server", async () => {
    const ok = await get("run.get", { id: "r1" }, { authorization: `Bearer ${secret}` });
    expect(ok.status).toBe(200);
    expect(superjson.deserialize((await ok.json()).result.data)).toMatchObject({ id: "r1", name: "fetched" });
    const anonymous = await get("run.get", { id: "r1" });
    expect(anonymous.status).toBe(401);
  });

  it("refuses a body over the limit with 413 and a clear message", async () => {
    const body = JSON.stringify({ json: { runId: "r1", points: [], pad: "x".repeat(9 * 1024 * 1024) } });
    const res = await handler()(new Request("http://localhost/api/trpc/metric.logBatch", { method: "POST", body, headers: { authorization: `Bearer ${secret}`, "content-type": "application/json" } }));
    expect(res.status).toBe(413);
    expect(JSON.stringify(await res.json())).toContain("request body exceeds the 8388608 byte limit");
  });

  it("sets the session cookie on sign-in", async () => {
    const res = await handler()(new Request("http://localhost/api/trpc/session.signIn", { method: "POST", body: JSON.stringify({ json: { apiKey: secret } }), headers: { "content-type": "application/json" } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^finetrack_session=fts_.*HttpOnly/);
  });
});
