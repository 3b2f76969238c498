import { MAX_POINTS_PER_BATCH } from "@finetrack/contracts";
import { createApiKey, createProject, revokeApiKey } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer, type HttpServer } from "./http-server";
import { failure, makeCall, type Call, type Transport } from "./test/transports";

let db: Db;
let server: HttpServer;
const secrets: Record<string, string> = {};

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  await createProject(db, { slug: "p", name: "P" });
  await createProject(db, { slug: "q", name: "Q" });
  for (const [name, project, scopes] of [
    ["admin", "p", ["admin"]], ["write", "p", ["write"]], ["read", "p", ["read"]], ["otherWrite", "q", ["write"]], ["revoked", "p", ["write"]],
  ] as const) {
    const key = await createApiKey(db, { project, name, scopes: [...scopes] });
    secrets[name] = key.secret;
    if (name === "revoked") await revokeApiKey(db, key.id);
  }
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

async function countPoints(runId: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id = $1`, [runId]);
  return rows[0].n;
}

describe.each<Transport>(["caller", "http"])("over %s", (transport) => {
  let as: Record<string, Call>;
  const id = (name: string) => `${transport}-${name}`;
  beforeAll(() => {
    as = Object.fromEntries(
      [...Object.keys(secrets), "anonymous", "unknown"].map((who) => [
        who,
        makeCall(transport, {
          db, url: server.url,
          headers: who === "anonymous" ? {} : { authorization: `Bearer ${who === "unknown" ? "ft_zzzzzzzz_nope" : secrets[who]}` },
        }),
      ]),
    );
  });

  it("projects: create, list, get", async () => {
    const created = await as.admin("project.create", { slug: id("proj"), name: "New" });
    expect(created).toMatchObject({ slug: id("proj"), name: "New", description: "" });
    expect((await as.admin("project.list")).map((p: { slug: string }) => p.slug)).toContain(id("proj"));
    expect((await as.read("project.list")).map((p: { slug: string }) => p.slug)).toEqual(["p"]);
    expect(await as.read("project.get", { slug: "p" })).toMatchObject({ slug: "p" });
    // A project the key cannot read answers like a missing one.
    expect(await failure(as.read("project.get", { slug: "q" }))).toMatchObject({ code: "NOT_FOUND", message: "slug: project 'q' not found (this API key is for project 'p')" });
    expect(await failure(as.admin("project.create", { slug: id("proj"), name: "Again" }))).toMatchObject({ code: "CONFLICT", field: "slug" });
    expect(await failure(as.write("project.create", { slug: id("nope"), name: "x" }))).toMatchObject({ code: "FORBIDDEN" });
  });

  it("keys: create, list, revoke", async () => {
    const key = await as.admin("key.create", { project: "p", name: id("k"), scopes: ["read"] });
    expect(key.secret).toMatch(/^ft_/);
    const listed = await as.admin("key.list", { project: "p" });
    expect(listed.find((k: { id: string }) => k.id === key.id)).not.toHaveProperty("secret");
    const withKey = makeCall(transport, { db, url: server.url, headers: { authorization: `Bearer ${key.secret}` } });
    expect(await withKey("project.get", { slug: "p" })).toMatchObject({ slug: "p" });
    expect((await as.admin("key.revoke", { id: key.id })).revokedAt).toBeInstanceOf(Date);
    expect(await failure(withKey("project.get", { slug: "p" }))).toMatchObject({ code: "UNAUTHORIZED" });
    expect(await failure(as.read("key.create", { project: "p", name: "wider", scopes: ["write"] }))).toMatchObject({ code: "FORBIDDEN", field: "scopes" });
  });

  it("datasets and runs: create (idempotent), update, heartbeat, finish, get, list", async () => {
    const ds = await as.write("dataset.upsert", { project: "p", name: id("ds"), version: "v1", trainSize: 10 });
    expect(ds).toMatchObject({ name: id("ds"), version: "v1", trainSize: 10 });
    const input = { project: "p", id: id("run"), name: "r", config: { lr: 0.1 }, baseModel: "tiny", baseModelParams: 1234, method: "lora", tags: ["t"], datasetId: ds.id };
    const run = await as.write("run.create", input);
    expect(run).toMatchObject({ id: id("run"), status: "running", datasetId: ds.id, dataset: { name: id("ds") }, baseModelParams: 1234 });
    expect(await as.write("run.create", input)).toEqual(run);
    expect(await as.write("run.update", { id: id("run"), config: { warmup: 5 }, summary: { best: 0.5 }, tags: ["t", "u"] })).toMatchObject({ config: { lr: 0.1, warmup: 5 }, summary: { best: 0.5 }, tags: ["t", "u"] });
    expect(await as.write("run.heartbeat", { id: id("run") })).toMatchObject({ id: id("run"), status: "running" });
    expect(await as.write("run.finish", { id: id("run"), summary: { final: -Infinity } })).toMatchObject({ status: "finished", summary: { best: 0.5, final: "-Infinity" } });
    expect(await as.read("run.get", { id: id("run") })).toMatchObject({ id: id("run"), status: "finished" });
    const page = await as.read("run.list", { project: "p", filter: { tags: ["u"], where: [{ field: "config.lr", op: "eq", value: 0.1 }] }, sort: { field: "name", direction: "asc" }, limit: 10 });
    expect(page.items.map((r: { id: string }) => r.id)).toContain(id("run"));
    expect(await failure(as.read("run.get", { id: id("ghost") }))).toMatchObject({ code: "NOT_FOUND", message: `id: run '${id("ghost")}' not found` });
  });

  it("metrics: logBatch is idempotent, NaN and ±Infinity round-trip, series and keys read back", async () => {
    await as.write("run.create", { project: "p", id: id("m") });
    const points = [NaN, Infinity, -Infinity, 0.25].map((value, step) => ({ key: "val/loss", step, value, epoch: step }));
    expect(await as.write("metric.logBatch", { runId: id("m"), points })).toEqual({ inserted: 4, duplicates: 0 });
    expect(await as.write("metric.logBatch", { runId: id("m"), points })).toEqual({ inserted: 0, duplicates: 4 });
    const { series } = await as.read("metric.series", { runIds: [id("m")], keys: ["val/loss"], maxPoints: 100 });
    expect(series[0]).toMatchObject({ runId: id("m"), key: "val/loss", step: [0, 1, 2, 3], value: [NaN, Infinity, -Infinity, 0.25], epoch: [0, 1, 2, 3], total: 4, sampled: false });
    expect(await as.read("metric.keys", { runIds: [id("m")] })).toEqual({ keys: ["val/loss"] });
    const run = await as.read("run.get", { id: id("m") });
    expect(run.metricStats["val/loss"]).toMatchObject({ count: 4, first: NaN, min: -Infinity, max: Infinity, last: 0.25 });
  });

  it("metrics: a different value for a stored step is a CONFLICT and nothing of the batch is written", async () => {
    await as.write("run.create", { project: "p", id: id("c") });
    await as.write("metric.logBatch", { runId: id("c"), points: [{ key: "loss", step: 1, value: 1 }] });
    const err = await failure(as.write("metric.logBatch", { runId: id("c"), points: [{ key: "loss", step: 2, value: 2 }, { key: "loss", step: 1, value: 3 }] }));
    expect(err.code).toBe("CONFLICT");
    expect(err.message).toContain(`run '${id("c")}' key 'loss' step 1 is already stored with value 1, got 3`);
    expect(await countPoints(id("c"))).toBe(1);
  });

  it("artifacts: log and list", async () => {
    await as.write("run.create", { project: "p", id: id("a") });
    await as.write("artifact.log", { runId: id("a"), name: "ckpt", kind: "checkpoint", uri: "/tmp/x", bytes: 10, metadata: { step: 5 } });
    expect(await as.read("artifact.list", { runId: id("a") })).toMatchObject([{ name: "ckpt", kind: "checkpoint", bytes: 10, metadata: { step: 5 } }]);
    expect(await failure(as.write("artifact.log", { runId: id("ghost"), name: "x", kind: "k", uri: "u" }))).toMatchObject({ code: "BAD_REQUEST", field: "runId" });
  });

  describe("bad input is BAD_REQUEST naming the field, and nothing is written", () => {
    const good = { key: "loss", step: 0, value: 1 };
    it.each([
      ["unknown run id", { runId: "ghost-run", points: [good] }, "runId: expected an existing run id, got 'ghost-run'"],
      ["negative step", { points: [{ ...good, step: -1 }] }, "points[0].step: expected a non-negative step"],
      ["non-integer step", { points: [good, { ...good, step: 2.5 }] }, "points[1].step: expected an integer step"],
      ["empty key", { points: [{ ...good, key: "" }] }, "points[0].key: expected a non-empty metric key"],
      ["over-long key", { points: [{ ...good, key: "k".repeat(300) }] }, "points[0].key: expected a metric key of at most 256 characters"],
      ["string value", { points: [{ ...good, value: "1.0" }] }, "points[0].value: expected a number"],
      ["missing points", { points: undefined }, "points: expected an array of points"],
      ["run id of the wrong type", { runId: 42, points: [good] }, "runId: expected a run id (string)"],
      ["too many points", { points: Array.from({ length: MAX_POINTS_PER_BATCH + 1 }, (_, step) => ({ ...good, step })) }, "points: expected at most 10000 points per batch"],
    ])("%s", async (_name, patch, message) => {
      await as.write("run.create", { project: "p", id: id("bad") });
      const err = await failure(as.write("metric.logBatch", { runId: id("bad"), ...patch }));
      expect(err.code).toBe("BAD_REQUEST");
      expect(err.message).toContain(message);
      expect(await countPoints(id("bad"))).toBe(0);
    });

    it("other procedures name their fields too", async () => {
      expect(await failure(as.write("run.create", { project: "p", seed: 1.5 }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("seed: expected an integer seed") });
      expect(await failure(as.write("run.create", { project: "Bad Slug!" }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("project: expected lowercase letters") });
      expect(await failure(as.read("run.list", { project: "p", sort: { field: "colour" } }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("sort.field:") });
      expect(await failure(as.read("metric.series", { runIds: [], keys: ["x"] }))).toMatchObject({ code: "BAD_REQUEST", message: expect.stringContaining("runIds: expected at least one run id") });
    });
  });

  describe("auth", () => {
    it("refuses missing, unknown and revoked keys (UNAUTHORIZED), another project's run like a missing one, too small a scope (FORBIDDEN), writing nothing", async () => {
      await as.write("run.create", { project: "p", id: id("guarded") });
      const batch = { runId: id("guarded"), points: [{ key: "loss", step: 0, value: 1 }] };
      expect(await failure(as.anonymous("metric.logBatch", batch))).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("Authorization: Bearer") });
      expect(await failure(as.unknown("metric.logBatch", batch))).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("unknown API key") });
      expect(await failure(as.revoked("metric.logBatch", batch))).toMatchObject({ code: "UNAUTHORIZED", message: expect.stringContaining("revoked") });
      const missing = { runId: id("no-such-run"), points: batch.points };
      expect(await failure(as.otherWrite("metric.logBatch", batch))).toEqual({ ...(await failure(as.otherWrite("metric.logBatch", missing))), message: expect.stringContaining(`'${id("guarded")}'`) });
      expect(await failure(as.otherWrite("metric.logBatch", batch))).toMatchObject({ code: "BAD_REQUEST", field: "runId" });
      expect(await failure(as.read("metric.logBatch", batch))).toMatchObject({ code: "FORBIDDEN", message: expect.stringContaining("needs editor") });
      expect(await failure(as.otherWrite("run.create", { project: "p", id: id("intruder") }))).toMatchObject({ code: "NOT_FOUND" });
      expect(await failure(as.otherWrite("run.update", { id: id("guarded"), notes: "hijacked" }))).toMatchObject({ code: "NOT_FOUND", message: `id: run '${id("guarded")}' not found` });
      expect(await failure(as.anonymous("run.get", { id: id("guarded") }))).toMatchObject({ code: "UNAUTHORIZED" });
      expect(await countPoints(id("guarded"))).toBe(0);
      expect((await as.read("run.get", { id: id("guarded") })).notes).toBe("");
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "Run" WHERE id = $1`, [id("intruder")]);
      expect(rows[0].n).toBe(0);
    });

    it("session.me reports the caller", async () => {
      expect(await as.read("session.me")).toMatchObject({ authEnabled: true, projectSlug: "p", scopes: ["read"], via: "apiKey" });
      expect(await as.anonymous("session.me")).toMatchObject({ authEnabled: true, via: "none" });
    });
  });
});

describe("over HTTP only", () => {
  it("rejects a body over the size limit with PAYLOAD_TOO_LARGE and a clear message", async () => {
    const call = makeCall("http", { db, url: server.url, headers: { authorization: `Bearer ${secrets.write}` } });
    await call("run.create", { project: "p", id: "huge" });
    // 10,000 points is within the count limit, but 900-byte points make a ~9 MB body.
    const points = Array.from({ length: 10_000 }, (_, step) => ({ key: "k".repeat(256), step, value: step, note: "z".repeat(600) }));
    const err = await failure(call("metric.logBatch", { runId: "huge", points }));
    expect(err.code).toBe("PAYLOAD_TOO_LARGE");
    expect(err.message).toContain("request body exceeds the 8388608 byte limit");
    expect(await countPoints("huge")).toBe(0);
  });

  it("signs a browser in with a key: the cookie authenticates, sign-out ends it", async () => {
    const post = (path: string, body: unknown, cookie?: string) =>
      fetch(`${server.url}/${path}`, { method: "POST", headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) }, body: JSON.stringify({ json: body }) });
    const res = await post("session.signIn", { apiKey: secrets.read });
    expect(res.status).toBe(200);
    const cookie = res.headers.get("set-cookie")!.split(";")[0];
    expect(cookie).toMatch(/^finetrack_session=fts_/);
    const me = makeCall("http", { db, url: server.url, headers: { cookie } });
    expect(await me("session.me")).toMatchObject({ via: "session", projectSlug: "p" });
    expect(await me("run.list", { project: "p" })).toHaveProperty("items");
    expect((await post("session.signIn", { apiKey: "ft_bad_bad" })).status).toBe(401);
    const out = await post("session.signOut", null, cookie);
    expect(out.headers.get("set-cookie")).toContain("Max-Age=0");
    expect(await failure(me("run.list", { project: "p" }))).toMatchObject({ code: "UNAUTHORIZED" });
  });

  it("with auth off, requests need no key", async () => {
    const open = await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 0 });
    try {
      const call = makeCall("http", { db, url: open.url });
      await call("run.create", { project: "p", id: "open-run" });
      expect(await call("metric.logBatch", { runId: "open-run", points: [{ key: "k", step: 0, value: 1 }] })).toEqual({ inserted: 1, duplicates: 0 });
      expect(await call("session.me")).toMatchObject({ authEnabled: false, via: "off" });
      expect(await failure(call("metric.logBatch", { runId: "ghost", points: [{ key: "k", step: 0, value: 1 }] }))).toMatchObject({ code: "BAD_REQUEST", field: "runId" });
    } finally {
      await open.close();
    }
  });

  it("marks runs crashed once their heartbeat is older than the timeout", async () => {
    const monitored = await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 1_000 });
    try {
      const call = makeCall("http", { db, url: monitored.url });
      await call("run.create", { project: "p", id: "will-crash" });
      await call("run.create", { project: "p", id: "keeps-beating" });
      const deadline = Date.now() + 10_000;
      let status = "running";
      while (status === "running" && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 300));
        await call("run.heartbeat", { id: "keeps-beating" });
        status = (await call("run.get", { id: "will-crash" })).status;
      }
      expect(status).toBe("crashed");
      expect((await call("run.get", { id: "keeps-beating" })).status).toBe("running");
    } finally {
      await monitored.close();
    }
  });
});
