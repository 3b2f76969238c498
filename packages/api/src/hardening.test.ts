import { MAX_BATCH_CALLS, MAX_JSON_BYTES, MAX_LIST_METRIC_STATS, MAX_METRIC_KEYS_PER_RUN, MAX_RUN_METRIC_STATS, wireTransformer } from "@finetrack/contracts";
import { createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatError } from "./errors";
import { createHttpServer, type HttpServer } from "./http-server";
import { appRouter } from "./root";
import { makeCall, type Call } from "./test/transports";

let db: Db;
let server: HttpServer;
beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 0 });
  await createProject(db, { slug: "p", name: "P" });
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const procedures = appRouter._def.procedures as unknown as Record<string, { _def: { type: "query" | "mutation" } }>;
type Answer = { status: number; data?: any; error?: { message: string; data: { code: string; field: string | null; rejected?: any[] } } };

/** The raw API: JSON text over HTTP in the wire format, with no client library in between. */
async function http(path: string, input: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const wire = JSON.stringify(wireTransformer.serialize(input));
  const query = procedures[path]._def.type === "query";
  const res = await fetch(query ? `${server.url}/${path}?input=${encodeURIComponent(wire)}` : `${server.url}/${path}`, {
    method: query ? "GET" : "POST",
    headers: { "content-type": "application/json", ...headers },
    body: query ? undefined : wire,
  });
  return answer(res);
}

async function answer(res: Response): Promise<Answer> {
  const body = await res.json();
  if (body.error) return { status: res.status, error: wireTransformer.deserialize(body.error) };
  return { status: res.status, data: wireTransformer.deserialize(body.result.data) };
}

/** The same call in process (createCaller), answered in the same shape. */
let caller: Call | undefined;
async function inProcess(path: string, input: unknown): Promise<Answer> {
  caller ??= makeCall("caller", { db, url: "", authEnabled: false });
  try {
    return { status: 200, data: await caller(path, input) };
  } catch (error) {
    const { formatError } = await import("./errors");
    const { getHTTPStatusCodeFromError } = await import("@trpc/server/http");
    const { message, ...data } = formatError(error as never);
    return { status: getHTTPStatusCodeFromError(error as never), error: { message, data: { code: (error as { code: string }).code, ...data } } };
  }
}

/** JSON text sorted by key: equal values compare equal whatever the key order, `__proto__` included. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v === null || typeof v !== "object" || Array.isArray(v) || v instanceof Date) return v;
    const out: Record<string, unknown> = Object.create(null);
    for (const key of Object.keys(v).sort()) out[key] = v[key];
    return out;
  });
}

const NAMES = Object.getOwnPropertyNames(Object.prototype);
/** Every Object.prototype name as a key, each holding a nested object with the same name as a key. */
const protoKeyed = (tag: string) => JSON.parse(JSON.stringify(Object.fromEntries(NAMES.map((k) => [k, { [k]: `${tag}-${k}`, n: 1 }]))));

describe.each([
  ["HTTP", http],
  ["createCaller", inProcess],
] as const)("over %s", (transport, call) => {
  const id = (name: string) => `${transport === "HTTP" ? "h" : "c"}-${name}`;

  it("artifact metadata keyed by every Object.prototype name is stored and read back exactly, on create and on replace", async () => {
    await call("run.create", { project: "p", id: id("art-keys") });
    for (const tag of ["first", "second"]) {
      const metadata = { ...protoKeyed(tag), nested: JSON.parse('{"__proto__": {"lr": 0.1}, "constructor": "AdamW"}') };
      const logged = await call("artifact.log", { runId: id("art-keys"), name: "model", kind: "checkpoint", uri: "file:///m", metadata });
      expect(logged.error).toBeUndefined();
      expect(canonical(logged.data.metadata)).toBe(canonical(metadata));
      const [listed] = (await call("artifact.list", { runId: id("art-keys") })).data;
      expect(Object.keys(listed.metadata).sort()).toEqual([...NAMES, "nested"].sort());
      expect(canonical(listed.metadata)).toBe(canonical(metadata));
    }
  });

  it("keys named like Object.prototype members are data everywhere: config, nested config, summary, metrics, lists, table, series", async () => {
    const config = { ...protoKeyed("config"), optimizer: JSON.parse('{"constructor": "AdamW", "__proto__": {"lr": 0.1}}') };
    // A value needing a wire annotation below a `constructor` key (superjson refuses this path).
    config.constructor.at = NaN;
    const summary = protoKeyed("summary");
    const created = await call("run.create", { project: "p", id: id("keys"), config });
    expect(created.error).toBeUndefined();
    expect((await call("run.update", { id: id("keys"), summary })).status).toBe(200);
    const batch = (from: number) => NAMES.flatMap((key) => [0, 1, 2].map((i) => ({ key, step: from + i, value: from + i + key.length })));
    expect((await call("metric.logBatch", { runId: id("keys"), points: batch(0) })).data).toEqual({ inserted: NAMES.length * 3, duplicates: 0 });
    expect((await call("metric.logBatch", { runId: id("keys"), points: batch(3) })).data).toEqual({ inserted: NAMES.length * 3, duplicates: 0 });
    // An identical retry is deduplicated, not a primary-key error.
    expect((await call("metric.logBatch", { runId: id("keys"), points: batch(3) })).data).toEqual({ inserted: 0, duplicates: NAMES.length * 3 });

    const expectedConfig = { ...config, constructor: { ...config.constructor, at: "NaN" } };
    Object.defineProperty(expectedConfig, "__proto__", { value: config.__proto__, enumerable: true, writable: true, configurable: true });
    const run = (await call("run.get", { id: id("keys") })).data;
    expect(canonical(run.config)).toBe(canonical(expectedConfig));
    expect(Object.keys(run.config).sort()).toEqual([...NAMES, "optimizer"].sort());
    expect(canonical(run.summary)).toBe(canonical(summary));
    expect(Object.keys(run.metricStats).sort()).toEqual([...NAMES].sort());
    for (const key of NAMES) {
      expect(Object.getOwnPropertyDescriptor(run.metricStats, key)?.value).toEqual({
        count: 6, first: key.length, firstStep: 0, last: 5 + key.length, lastStep: 5, min: key.length, minStep: 0, max: 5 + key.length, maxStep: 5,
      });
    }

    const listed = (await call("run.list", { project: "p", filter: { search: id("keys"), where: [{ field: "config.constructor.constructor", op: "eq", value: "config-constructor" }] }, sort: { field: "metrics.toString.last" } })).data;
    expect(listed.items.map((r: { id: string }) => r.id)).toEqual([id("keys")]);
    expect(canonical(listed.items[0].config)).toBe(canonical(expectedConfig));
    const whole = await call("run.list", { project: "p" });
    expect(whole.status).toBe(200);

    const table = (await call("analysis.runRows", { project: "p", ids: [id("keys")] })).data;
    for (const key of NAMES) {
      expect(Object.getOwnPropertyDescriptor(table.config, `${key}.${key}`)?.value).toEqual([`config-${key}`]);
      expect(Object.getOwnPropertyDescriptor(table.summary, `${key}.${key}`)?.value).toEqual([`summary-${key}`]);
      expect(Object.getOwnPropertyDescriptor(table.metrics, key)?.value).toEqual({ min: [key.length], max: [5 + key.length], last: [5 + key.length] });
    }
    expect(Object.getOwnPropertyDescriptor(table.config, "optimizer.__proto__.lr")?.value).toEqual([0.1]);

    const { series } = (await call("metric.series", { runIds: [id("keys")], keys: NAMES })).data;
    expect(series.map((s: { key: string; step: number[] }) => [s.key, s.step])).toEqual(NAMES.map((k) => [k, [0, 1, 2, 3, 4, 5]]));
    expect((await call("metric.keys", { runIds: [id("keys")] })).data.keys).toEqual([...NAMES].sort());
    expect((await call("metric.points", { runId: id("keys"), key: "__proto__" })).data.step).toEqual([0, 1, 2, 3, 4, 5]);
    const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricTier" t JOIN "Run" r ON r.seq = t."runSeq" WHERE r.id = $1`, [id("keys")]);
    // Steps 0..5 fit in one 8-step bucket: no tier level is readable, so none is written.
    expect(rows[0].n).toBe(0);
  });

  it("run.create with an existing id: the same immutable fields answer the run, different ones 409 naming them", async () => {
    const input = { project: "p", id: id("again"), config: { lr: 0.1, layers: [1, 2] }, baseModel: "tiny", method: "lora", seed: 3 };
    const first = (await call("run.create", input)).data;
    await call("run.update", { id: id("again"), config: { warmup: 10 }, name: "renamed" });
    // A retry, after run.update added a config key and renamed it: still the same run.
    expect((await call("run.create", input)).data).toMatchObject({ id: first.id, name: "renamed", config: { lr: 0.1, layers: [1, 2], warmup: 10 } });
    const conflict = await call("run.create", { ...input, config: { lr: 0.2, layers: [1, 2] }, method: "full", seed: undefined });
    expect(conflict.status).toBe(409);
    expect(conflict.error!.data).toMatchObject({ code: "CONFLICT", field: "method" });
    expect(conflict.error!.message).toContain(`run '${id("again")}' already exists with different method, seed, config.lr`);
    expect((await call("run.get", { id: id("again") })).data).toMatchObject({ method: "lora", seed: 3, config: { lr: 0.1 } });
  });

  it("text the wire format refuses in metric keys (NUL, a lone surrogate) is listed point by point in data.rejected too", async () => {
    await http("run.create", { project: "p", id: id("wire-rej") });
    const points = [
      { key: "loss", step: 0, value: 1 },
      { key: "a\u0000b", step: 1, value: 1 },
      { key: "loss", step: 2, value: 1 },
      { key: "half \ud800", step: 3, value: 1 },
    ];
    const refused = await http("metric.logBatch", { runId: id("wire-rej"), points });
    expect(refused.status).toBe(400);
    expect(refused.error!.data.field).toBe("points.1.key");
    const message = "expected valid Unicode text without NUL (U+0000) or lone surrogates";
    expect(refused.error!.data.rejected).toEqual([
      { index: 1, key: "a\\u0000b", step: 1, field: "points.1.key", message },
      { index: 3, key: "half \\ud800", step: 3, field: "points.3.key", message },
    ]);
    expect((await http("run.get", { id: id("wire-rej") })).data.metricKeyCount).toBe(0);
    // A bad run id as well: the whole request is wrong, so no point is singled out.
    expect((await http("metric.logBatch", { runId: "x\u0000", points })).error!.data.rejected).toBeUndefined();
  });

  it("a refused batch lists every bad point in data.rejected and writes nothing", async () => {
    await call("run.create", { project: "p", id: id("rej") });
    const points = [
      { key: "loss", step: 0, value: 1 },
      { key: "loss", step: -1, value: 1 },
      { key: "acc", step: 1, value: "high" },
      { key: "loss", step: 2, value: 1, epoch: 1e39 },
      { key: "lr", step: 3, value: 1 },
    ];
    const refused = await call("metric.logBatch", { runId: id("rej"), points });
    expect(refused.status).toBe(400);
    expect(refused.error!.data.field).toBe("points.1.step");
    expect(refused.error!.data.rejected).toEqual([
      { index: 1, key: "loss", step: -1, field: "points.1.step", message: "expected a non-negative step" },
      { index: 2, key: "acc", step: 1, field: "points.2.value", message: "expected a number (NaN and ±Infinity are allowed)" },
      { index: 3, key: "loss", step: 2, field: "points.3.epoch", message: "expected an epoch of at most 3.4028234663852886e+38 (stored as float4)" },
    ]);
    expect((await call("run.get", { id: id("rej") })).data.metricKeyCount).toBe(0);
    // The client drops the rejected points and sends the rest in one more request.
    const bad = new Set(refused.error!.data.rejected!.map((r: { index: number }) => r.index));
    expect((await call("metric.logBatch", { runId: id("rej"), points: points.filter((_, i) => !bad.has(i)) })).data).toEqual({ inserted: 2, duplicates: 0 });
    // Conflicts with stored points are listed the same way (409).
    const conflict = await call("metric.logBatch", { runId: id("rej"), points: [{ key: "loss", step: 0, value: 2 }, { key: "loss", step: 9, value: 1 }, { key: "lr", step: 3, value: 5 }] });
    expect(conflict.status).toBe(409);
    expect(conflict.error!.data.rejected!.map((r: { index: number; field: string }) => [r.index, r.field])).toEqual([[0, "points.0.value"], [2, "points.2.value"]]);
  });

  it.each([
    ["NUL in a name", "run.create", { project: "p", name: "a\u0000b" }, "name", "expected valid Unicode text without NUL"],
    ["a lone surrogate in a name", "run.create", { project: "p", name: "run \ud800" }, "name", "expected valid Unicode text without NUL"],
    ["a lone surrogate in a config key", "run.create", { project: "p", config: { ok: { "\udc00": 1 } } }, "config.ok.\\udc00", "expected valid Unicode text"],
    ["NUL in a metric key", "metric.logBatch", { runId: "x", points: [{ key: "a\u0000", step: 0, value: 1 }] }, "points.0.key", "expected valid Unicode text without NUL"],
    ["an epoch beyond float4", "metric.logBatch", { runId: "x", points: [{ key: "a", step: 0, value: 1, epoch: 3.5e38 }] }, "points.0.epoch", "expected an epoch of at most"],
    ["a date before 4713 BC", "metric.logBatch", { runId: "x", points: [{ key: "a", step: 0, value: 1, time: new Date("-005000-01-01T00:00:00Z") }] }, "points.0.time", "expected a Date or milliseconds since the Unix epoch (a valid date between 0001-01-01 and 9999-12-31)"],
    ["a Map config value", "run.create", { project: "p", config: { opt: new Map([["lr", 1]]) } }, "config.opt", "expected a JSON value (object, array, string, number, boolean or null), got a Map"],
    ["a Set summary value", "run.update", { id: "x", summary: { s: new Set([1]) } }, "summary.s", "got a Set"],
    ["a forged cursor", "run.list", { project: "p", sort: { field: "createdAt" }, cursor: Buffer.from(JSON.stringify({ v: "not a time", id: "x" })).toString("base64url") }, "cursor", "expected a cursor returned by a previous run.list call"],
    ["a forged numeric cursor", "run.list", { project: "p", sort: { field: "metrics.loss.min" }, cursor: Buffer.from(JSON.stringify({ v: "1e", id: "x" })).toString("base64url") }, "cursor", "expected a cursor returned by a previous run.list call"],
    ["a non-date time filter", "run.list", { project: "p", filter: { where: [{ field: "createdAt", op: "gt", value: "yesterday" }] } }, "filter.where[0].value", "expected an ISO date string"],
    ["an impossible date on a time filter", "run.list", { project: "p", filter: { where: [{ field: "createdAt", op: "gt", value: "2026-02-30" }] } }, "filter.where[0].value", "expected an ISO date string"],
  ])("%s is a 400 naming the field", async (_name, path, input, field, message) => {
    const result = await call(path, input);
    expect(result.status).toBe(400);
    expect(result.error!.data.field).toBe(field);
    expect(result.error!.message).toContain(message);
  });

  it("config and summary stay within the size limit after merging", async () => {
    await call("run.create", { project: "p", id: id("grow") });
    const chunk = (i: number) => ({ [`part${i}`]: "x".repeat(100_000) });
    expect((await call("run.update", { id: id("grow"), config: chunk(1) })).status).toBe(200);
    expect((await call("run.update", { id: id("grow"), config: chunk(2) })).status).toBe(200);
    const third = await call("run.update", { id: id("grow"), config: chunk(3), name: "not applied" });
    expect(third.status).toBe(400);
    expect(third.error!.data.field).toBe("config");
    expect(third.error!.message).toContain(`expected at most ${MAX_JSON_BYTES} bytes of JSON after merging into the stored config`);
    const run = (await call("run.get", { id: id("grow") })).data;
    expect([Object.keys(run.config).sort(), run.name]).toEqual([["part1", "part2"], id("grow")]);
    // Replacing a key is measured the same way: the merged size is what counts.
    expect((await call("run.update", { id: id("grow"), config: chunk(2) })).status).toBe(200);
    expect((await call("run.finish", { id: id("grow"), summary: { ...chunk(1), ...chunk(2), ...chunk(3) } })).status).toBe(400);
  });
});

describe("error messages", () => {
  it("never show internals of an unexpected error (SQL, constraint names, paths, ports)", () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "MetricPoint_pkey" at /work/main/packages/core/src/x.ts (127.0.0.1:5432)'), { code: "23505" });
    const formatted = formatError(new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: pgError.message, cause: pgError }));
    expect(formatted).toEqual({ message: "internal server error; the server logged the cause", field: null });
  });
});

describe("over HTTP only", () => {
  it("a number literal beyond float8 is refused rather than read as Infinity", async () => {
    const res = await fetch(`${server.url}/run.create`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"json":{"project":"p","config":{"lr":1e309}}}' });
    const { error } = await answer(res);
    expect(res.status).toBe(400);
    expect(error!.data.field).toBe("config.lr");
    expect(error!.message).toContain("expected a finite number; a JSON literal like 1e309 overflows float8");
  });

  it("a malformed % escape in the cookie does not break requests", async () => {
    const res = await fetch(`${server.url}/health.check`, { headers: { cookie: "finetrack_session=%E0%A4%A; other=%zz" } });
    expect(res.status).toBe(200);
    expect((await http("run.list", { project: "p" }, { cookie: "finetrack_session=%" })).status).toBe(200);
  });

  it(`a batched request holds at most ${MAX_BATCH_CALLS} calls`, async () => {
    const batch = (n: number) => {
      const paths = Array.from({ length: n }, () => "project.list").join(",");
      const input = JSON.stringify(Object.fromEntries(Array.from({ length: n }, (_, i) => [i, { json: null }])));
      return fetch(`${server.url}/${paths}?batch=1&input=${encodeURIComponent(input)}`);
    };
    expect((await batch(MAX_BATCH_CALLS)).status).toBe(200);
    const refused = await batch(MAX_BATCH_CALLS + 1);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(await refused.json())).toContain(`expected at most ${MAX_BATCH_CALLS} calls in one batched request`);
  });

  it(`a run is refused at ${MAX_METRIC_KEYS_PER_RUN} metric keys, and 100,000 attempted keep the server's memory bounded`, async () => {
    await http("run.create", { project: "p", id: "wide" });
    const keysOf = (batch: number) => Array.from({ length: 10_000 }, (_, i) => ({ key: `k${String(batch * 10_000 + i).padStart(6, "0")}`, step: 0, value: i }));
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    expect((await http("metric.logBatch", { runId: "wide", points: keysOf(0) })).data).toEqual({ inserted: 10_000, duplicates: 0 });
    let peakRss = process.memoryUsage().rss;
    for (let b = 1; b < 10; b++) {
      const refused = await http("metric.logBatch", { runId: "wide", points: keysOf(b) });
      expect(refused.status).toBe(400);
      expect(refused.error!.message).toContain(`expected at most ${MAX_METRIC_KEYS_PER_RUN} metric keys per run`);
      expect(refused.error!.data.rejected).toHaveLength(10_000);
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
    const run = (await http("run.get", { id: "wide" })).data;
    expect([run.metricKeyCount, Object.keys(run.metricStats).length]).toEqual([MAX_METRIC_KEYS_PER_RUN, MAX_RUN_METRIC_STATS]);
    const got = await fetch(`${server.url}/run.get?input=${encodeURIComponent(JSON.stringify({ json: { id: "wide" } }))}`);
    const runBytes = (await got.arrayBuffer()).byteLength;
    // A run of 10,000 keys answers in a bounded size (its first 1,000 keys' statistics).
    expect(runBytes).toBeLessThan(300_000);
    const table = (await http("analysis.runRows", { project: "p", ids: ["wide"] })).data;
    expect(Object.keys(table.metrics).length).toBeLessThanOrEqual(200);
    const listed = (await http("run.list", { project: "p", filter: { search: "wide" } })).data.items;
    expect([listed[0].metricKeyCount, Object.keys(listed[0].metricStats).length]).toEqual([MAX_METRIC_KEYS_PER_RUN, MAX_LIST_METRIC_STATS]);
    expect((await http("metric.keys", { runIds: ["wide"] })).data.keys).toHaveLength(MAX_METRIC_KEYS_PER_RUN);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const growthMb = (peakRss - rssBefore) / 2 ** 20;
    console.log(`RSS growth over 100,000 attempted keys: ${growthMb.toFixed(0)} MB; run.get answer ${runBytes} bytes`);
    // Memory bound: the server (in this process, with the test's own requests) grows by less than 400 MB.
    expect(growthMb).toBeLessThan(400);
  }, 120_000);
});
