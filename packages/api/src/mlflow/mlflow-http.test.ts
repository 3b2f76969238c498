import { createApiKey, createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createContext } from "../context";
import { createHttpServer, type HttpServer } from "../http-server";
import "../index";
import { createCaller } from "../root";

let db: Db;
let server: HttpServer;
let origin: string;
let key: string;

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  origin = new URL(server.url).origin;
  await createProject(db, { slug: "default", name: "Default project" });
  key = (await createApiKey(db, { project: "default", name: "w", scopes: ["write"] })).secret;
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

type Answer = { status: number; body: any };

/** One MLflow REST call over real HTTP: GET params go in the query string, POST params as JSON. */
async function mlflow(path: string, params: Record<string, unknown> = {}, opts: { method?: "GET" | "POST"; auth?: string | null; raw?: string; prefix?: string } = {}): Promise<Answer> {
  const method = opts.method ?? (/\/(get|get-by-name|get-history|list)$/.test(path) ? "GET" : "POST");
  const url = new URL(`${opts.prefix ?? "/api/2.0/mlflow"}/${path}`, origin);
  if (method === "GET") for (const [k, v] of Object.entries(params)) for (const x of [v].flat()) url.searchParams.append(k, String(x));
  const headers: Record<string, string> = { "content-type": "application/json" };
  const auth = opts.auth === undefined ? `Bearer ${key}` : opts.auth;
  if (auth) headers.authorization = auth;
  const res = await fetch(url, { method, headers, body: method === "POST" ? (opts.raw ?? JSON.stringify(params)) : undefined });
  return { status: res.status, body: await res.json() };
}

async function newRun(fields: Record<string, unknown> = {}): Promise<string> {
  const res = await mlflow("runs/create", { experiment_id: "0", ...fields });
  expect(res.status).toBe(200);
  return res.body.run.info.run_id;
}

async function ours() {
  return createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${key}` }), authEnabled: true }));
}

const metric = (key: string, value: number | string, step: number, timestamp = 1_700_000_000_000 + step) => ({ key, value, timestamp, step });

describe("log-batch: MLflow's limits, checked whole before anything is written", () => {
  it("refuses too many metrics, params, tags or entities, and bodies over 1 MB", async () => {
    const runId = await newRun();
    const cases: [Record<string, unknown>, string][] = [
      [{ metrics: Array.from({ length: 1001 }, (_, i) => metric("m", 1, i)) }, "A batch logging request can contain at most 1000 metrics. Got 1001 metrics."],
      [{ params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: "1" })) }, "at most 100 params. Got 101 params."],
      [{ tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: "1" })) }, "at most 100 tags. Got 101 tags."],
      [{ metrics: Array.from({ length: 950 }, (_, i) => metric("m", 1, i)), params: Array.from({ length: 51 }, (_, i) => ({ key: `p${i}`, value: "1" })) }, "at most 1000 metrics, params, and tags. Got 1001"],
      [{ params: [{ key: "k".repeat(251), value: "1" }] }, "params[0].key: Param key 'kkk"],
      [{ params: [{ key: "ok", value: "v".repeat(6001) }] }, "had length 6001, which exceeded length limit of 6000"],
      [{ tags: [{ key: "ok", value: "v".repeat(5001) }] }, "had length 5001, which exceeded length limit of 5000"],
      [{ metrics: [metric("bad*name", 1, 0)] }, "metrics[0].key: Invalid metric name: 'bad*name'. Names may only contain alphanumerics"],
      [{ metrics: [metric("../up", 1, 0)] }, "must not resolve to other names"],
      [{ metrics: [metric("m", "high", 0)] }, "metrics[0].value: Got invalid value \"high\" for metric 'm'"],
      [{ metrics: [{ key: "m", value: 1, step: 0 }] }, "metrics[0].timestamp: Got invalid timestamp undefined"],
      [{ metrics: [{ key: "m", value: 1, timestamp: 5, step: 1.5 }] }, "metrics[0].step: expected step as an integer, got 1.5"],
      [{ params: [{ key: "a", value: "1" }, { key: "a", value: "2" }] }, "Duplicate parameter keys have been submitted: ['a']"],
    ];
    for (const [body, message] of cases) {
      const res = await mlflow("runs/log-batch", { run_id: runId, ...body });
      expect(res.status, message).toBe(400);
      expect(res.body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.body.message).toContain(message);
    }
    const big = await mlflow("runs/log-batch", {}, { raw: JSON.stringify({ run_id: runId, params: [{ key: "p", value: "x".repeat(1_000_001) }] }) });
    expect(big.status).toBe(400);
    expect(big.body.message).toMatch(/^Batched logging API requests must be at most 1000000 bytes, got a request of size \d+\.$/);
    const run = (await mlflow("runs/get", { run_id: runId })).body.run;
    expect(run.data.metrics).toEqual([]);
    expect(run.data.params).toEqual([]);
  });

  it("writes nothing of a batch whose param changes a logged one, and accepts the same value again", async () => {
    const runId = await newRun();
    expect((await mlflow("runs/log-parameter", { run_id: runId, key: "lr", value: "0.1" })).status).toBe(200);
    expect((await mlflow("runs/log-batch", { run_id: runId, params: [{ key: "lr", value: "0.1" }] })).status).toBe(200);
    const res = await mlflow("runs/log-batch", { run_id: runId, params: [{ key: "epochs", value: "3" }, { key: "lr", value: "0.2" }], tags: [{ key: "t", value: "x" }], metrics: [metric("loss", 1, 0)] });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: `params[1].value: Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
    });
    const run = (await mlflow("runs/get", { run_id: runId })).body.run;
    expect(run.data.params).toEqual([{ key: "lr", value: "0.1" }]);
    // Texts that are not exactly a number stay text, and every one comes back as sent.
    const texts = ["1e-4", "0.50", "True", "-0", "12345678901234567890", "8", "false", " 3"];
    await mlflow("runs/log-batch", { run_id: runId, params: texts.map((value, i) => ({ key: `t${i}`, value })) });
    const back = (await mlflow("runs/get", { run_id: runId })).body.run.data.params;
    expect(back.filter((p: { key: string }) => p.key.startsWith("t"))).toEqual(texts.map((value, i) => ({ key: `t${i}`, value })));
    expect((await (await ours()).run.get({ id: runId })).config).toMatchObject({ t0: "1e-4", t1: "0.50", t2: "True", t3: "-0", t5: 8, t6: false, t7: " 3" });
    expect((await mlflow("runs/log-parameter", { run_id: runId, key: "t5", value: "8.0" })).body.message).toContain("Changing param values is not allowed");
    // Keys are data: names that are also Object.prototype's are stored like any other.
    const odd = [{ key: "__proto__", value: "p" }, { key: "constructor", value: "c" }];
    expect((await mlflow("runs/log-batch", { run_id: runId, params: odd, tags: odd })).status).toBe(200);
    const got = (await mlflow("runs/get", { run_id: runId })).body.run.data;
    expect(got.params).toEqual(expect.arrayContaining(odd));
    expect(got.tags).toEqual(expect.arrayContaining(odd));
    expect(run.data.metrics).toEqual([]);
    expect(run.data.tags.map((t: { key: string }) => t.key)).not.toContain("t");
  });
});

describe("metrics: MLflow's many values per step and our (run, key, step) points", () => {
  it("keeps every value logged at step 0 (log_metric's default), reports MLflow's steps, and skips identical retries", async () => {
    const runId = await newRun();
    const sent = [metric("loss", 3, 0, 1000), metric("loss", 2.5, 0, 2000), metric("loss", 2, 0, 3000), metric("loss", "NaN", 0, 4000), metric("loss", 1.5, 7, 5000), metric("loss", 1.2, 7, 6000)];
    for (const m of sent.slice(0, 3)) expect((await mlflow("runs/log-metric", { run_id: runId, ...m })).status).toBe(200);
    expect((await mlflow("runs/log-batch", { run_id: runId, metrics: sent.slice(2) })).status).toBe(200);
    // The whole history again, as a client retrying after a lost answer.
    expect((await mlflow("runs/log-batch", { run_id: runId, metrics: sent })).status).toBe(200);
    const history = await mlflow("metrics/get-history", { run_id: runId, metric_key: "loss" });
    expect(history.body.metrics).toEqual(sent);
    const latest = (await mlflow("runs/get", { run_id: runId })).body.run.data.metrics;
    expect(latest).toEqual([sent[5]]);
    // Ours: one point per stored step, in the order they arrived, MLflow's timestamps as times.
    const points = await (await ours()).metric.points({ runId, key: "loss" });
    expect(points.step).toEqual([0, 1, 2, 3, 7, 8]);
    expect(points.value).toEqual([3, 2.5, 2, NaN, 1.5, 1.2]);
    expect(points.time).toEqual([1000, 2000, 3000, 4000, 5000, 6000]);
    // Paged history: max_results and the token of the previous page.
    const first = await mlflow("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: 4 });
    expect(first.body.metrics).toEqual(sent.slice(0, 4));
    const rest = await mlflow("metrics/get-history", { run_id: runId, metric_key: "loss", max_results: 4, page_token: first.body.next_page_token });
    expect(rest.body.metrics).toEqual(sent.slice(4));
    expect(rest.body.next_page_token).toBeUndefined();
  });
  it("places concurrent batches at step 0 and negative or 64-bit steps without losing or doubling a value", async () => {
    const runId = await newRun();
    const sent = Array.from({ length: 8 }, (_, i) => metric("acc", i / 10, 0, 10_000 + i));
    await Promise.all(sent.map((m) => mlflow("runs/log-batch", { run_id: runId, metrics: [m] })));
    const odd = [metric("acc", 0.9, -3, 20_000), metric("acc", 0.95, 2 ** 40, 20_001)];
    expect((await mlflow("runs/log-batch", { run_id: runId, metrics: odd })).status).toBe(200);
    const history = (await mlflow("metrics/get-history", { run_id: runId, metric_key: "acc", max_results: 25_000 })).body.metrics;
    expect(history).toHaveLength(10);
    expect([...history].sort((a: any, b: any) => a.timestamp - b.timestamp)).toEqual([...sent, ...odd]);
    const points = await (await ours()).metric.points({ runId, key: "acc" });
    expect(points.step).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

describe("runs: create, tags, update, delete and restore, inputs", () => {
  it("maps runName, notes, parent run and user tags, and deletes tags", async () => {
    const parent = await newRun({ run_name: "parent" });
    const runId = await newRun({ tags: [{ key: "mlflow.parentRunId", value: parent }, { key: "mlflow.note.content", value: "a note" }, { key: "env", value: "ci" }] });
    await mlflow("runs/set-tag", { run_id: runId, key: "mlflow.runName", value: "renamed" });
    let run = await (await ours()).run.get({ id: runId });
    expect(run).toMatchObject({ name: "renamed", notes: "a note", parentRunId: parent, tags: ["env:ci"] });
    expect((await mlflow("runs/delete-tag", { run_id: runId, key: "env" })).status).toBe(200);
    expect((await mlflow("runs/delete-tag", { run_id: runId, key: "mlflow.note.content" })).status).toBe(200);
    const missing = await mlflow("runs/delete-tag", { run_id: runId, key: "env" });
    expect(missing).toEqual({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST", message: `key: No tag with name: env in run with id ${runId}` } });
    run = await (await ours()).run.get({ id: runId });
    expect(run).toMatchObject({ notes: "", tags: [] });
    const tags = (await mlflow("runs/get", { run_id: runId })).body.run.data.tags;
    expect(tags).toEqual([{ key: "mlflow.runName", value: "renamed" }, { key: "mlflow.parentRunId", value: parent }]);
  });

  it("the same run id in two projects (experiments): each key logs, reads, updates and deletes its own run", async () => {
    await createProject(db, { slug: "second", name: "Second" });
    const secondKey = (await createApiKey(db, { project: "second", name: "w2", scopes: ["write"] })).secret;
    const auth = { default: `Bearer ${key}`, second: `Bearer ${secondKey}` };
    const as = (side: keyof typeof auth) => createContext({ db, headers: new Headers({ authorization: auth[side] }), authEnabled: true }).then(createCaller);
    for (const side of ["default", "second"] as const) {
      // The SDK chose the id in both projects; the MLflow API then works on each project's own run.
      await (await as(side)).run.create({ project: side, id: "ml-shared" });
      await (await as(side)).run.create({ project: side, id: "ml-shared-child" });
      const logged = await mlflow("runs/log-batch", {
        run_id: "ml-shared",
        metrics: [metric("loss", side === "default" ? 1 : 2, 0)],
        params: [{ key: "side", value: side }],
        tags: [{ key: "mlflow.runName", value: `${side} run` }],
      }, { auth: auth[side] });
      expect(logged.status).toBe(200);
      await mlflow("runs/set-tag", { run_id: "ml-shared-child", key: "mlflow.parentRunId", value: "ml-shared" }, { auth: auth[side] });
    }
    await mlflow("runs/update", { run_id: "ml-shared", status: "FINISHED", end_time: 1_700_000_999_000 }, { auth: auth.second });
    expect((await mlflow("runs/delete", { run_id: "ml-shared" }, { auth: auth.default })).status).toBe(200);
    for (const side of ["default", "second"] as const) {
      const { run } = (await mlflow("runs/get", { run_id: "ml-shared" }, { auth: auth[side] })).body;
      expect(run.info).toMatchObject({ run_id: "ml-shared", experiment_id: side === "default" ? "0" : "second", run_name: `${side} run`, status: side === "second" ? "FINISHED" : "RUNNING", lifecycle_stage: side === "default" ? "deleted" : "active" });
      expect(run.data.params).toEqual([{ key: "side", value: side }]);
      expect(run.data.metrics).toMatchObject([{ key: "loss", value: side === "default" ? 1 : 2 }]);
      const history = (await mlflow("metrics/get-history", { run_id: "ml-shared", metric_key: "loss" }, { auth: auth[side] })).body.metrics;
      expect(history.map((m: { value: number }) => m.value)).toEqual([side === "default" ? 1 : 2]);
      expect((await (await as(side)).run.get({ id: "ml-shared-child" })).parentRunId).toBe("ml-shared");
      const search = await mlflow("runs/search", { experiment_ids: [side === "default" ? "0" : "second"], filter: "attributes.run_name LIKE '% run'", run_view_type: "ALL" }, { auth: auth[side] });
      expect(search.body.runs.map((r: any) => [r.info.run_id, r.info.run_name])).toEqual([["ml-shared", `${side} run`]]);
    }
    await mlflow("runs/restore", { run_id: "ml-shared" }, { auth: auth.default });
  });

  it("updates status both ways and keeps deleted runs out of search until restored", async () => {
    const runId = await newRun();
    const update = await mlflow("runs/update", { run_id: runId, status: "KILLED", end_time: 1_700_000_999_000, run_name: "stopped" });
    expect(update.body.run_info).toMatchObject({ status: "KILLED", end_time: 1_700_000_999_000, run_name: "stopped" });
    expect((await (await ours()).run.get({ id: runId })).status).toBe("killed");
    expect((await mlflow("runs/update", { run_id: runId, status: "DONE" })).body.error_code).toBe("INVALID_PARAMETER_VALUE");
    const ids = async (view?: string) =>
      ((await mlflow("runs/search", { experiment_ids: ["0"], filter: "attributes.run_name = 'stopped'", run_view_type: view })).body.runs ?? []).map((r: any) => r.info.run_id);
    expect(await ids()).toEqual([runId]);
    expect((await mlflow("runs/delete", { run_id: runId })).status).toBe(200);
    expect(await ids()).toEqual([]);
    expect(await ids("DELETED_ONLY")).toEqual([runId]);
    expect((await mlflow("runs/get", { run_id: runId })).body.run.info.lifecycle_stage).toBe("deleted");
    const listed = async () => (await (await ours()).run.list({ project: "default", limit: 500 })).items.map((r: { id: string }) => r.id);
    expect(await listed()).not.toContain(runId);
    const refused = await mlflow("runs/log-metric", { run_id: runId, ...metric("m", 1, 0) });
    expect(refused.body).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: `run_id: The run ${runId} must be in the 'active' state. Current state is deleted.` });
    expect((await mlflow("runs/restore", { run_id: runId })).status).toBe(200);
    expect(await ids("ACTIVE_ONLY")).toEqual([runId]);
    expect(await listed()).toContain(runId);
  });

  it("records log-inputs datasets as Dataset records and returns them", async () => {
    const runId = await newRun();
    const input = { tags: [{ key: "mlflow.data.context", value: "train" }], dataset: { name: "alpaca", digest: "3f2a9c1d", source_type: "hf", source: "{\"path\": \"tatsu-lab/alpaca\"}", profile: "{\"num_rows\": 52002}" } };
    expect((await mlflow("runs/log-inputs", { run_id: runId, datasets: [input] })).status).toBe(200);
    const run = await (await ours()).run.get({ id: runId });
    expect(run.dataset).toMatchObject({ name: "alpaca", version: "3f2a9c1d", trainSize: 52002 });
    expect((await mlflow("runs/get", { run_id: runId })).body.run.inputs.dataset_inputs).toEqual([input]);
    const bad = await mlflow("runs/log-inputs", { run_id: runId, datasets: [{ dataset: { name: "x" } }] });
    expect(bad.body).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: "datasets[0].dataset.digest: Missing value for required parameter 'digest'." });
  });
});

describe("runs/search: MLflow's filter grammar, order_by and page tokens", () => {
  const made: Record<string, string> = {};
  beforeAll(async () => {
    const exp = (await mlflow("experiments/get-by-name", { experiment_name: "Default" })).body.experiment.experiment_id;
    expect(exp).toBe("0");
    for (const [name, lr, loss, team, status] of [["r1", "0.1", 0.9, "nlp", "FINISHED"], ["r2", "0.01", 0.4, "nlp", "FAILED"], ["r3", "0.01", 0.2, "cv", "FINISHED"], ["r4", "0.001", 0.6, "cv", "RUNNING"]] as const) {
      const id = await newRun({ experiment_id: exp, run_name: `search-${name}`, start_time: 1_800_000_000_000 + Number(name.slice(1)) * 1000 });
      await mlflow("runs/log-batch", { run_id: id, params: [{ key: "lr", value: lr }], tags: [{ key: "team", value: team }], metrics: [metric("val loss", loss, 0)] });
      if (status !== "RUNNING") await mlflow("runs/update", { run_id: id, status });
      made[name] = id;
    }
  });
  const search = (params: Record<string, unknown>) => mlflow("runs/search", { experiment_ids: ["0"], ...params });
  const names = (res: Answer) => res.body.runs.map((r: any) => r.info.run_name.replace("search-", ""));
  const base = "attributes.run_name LIKE 'search-%'";

  it("filters by status, params, metrics, tags, start time, names and ids", async () => {
    const cases: [string, string[]][] = [
      [`${base} and attributes.status = 'FINISHED'`, ["r3", "r1"]],
      [`${base} AND params.lr = '0.01'`, ["r3", "r2"]],
      [`${base} and metrics.\`val loss\` < 0.5`, ["r3", "r2"]],
      [`${base} and metrics."val loss" >= 0.6`, ["r4", "r1"]],
      [`${base} and tags.team = 'cv'`, ["r4", "r3"]],
      [`${base} and tags.team != 'cv' and params.lr LIKE '0.1%'`, ["r1"]],
      [`${base} and attributes.start_time > 1800000002000`, ["r4", "r3"]],
      [`${base} and tags.mlflow.runName ILIKE 'SEARCH-R1'`, ["r1"]],
      [`${base} and attributes.status IN ('FAILED', 'RUNNING')`, ["r4", "r2"]],
      [`attributes.run_id = '${made.r2}'`, ["r2"]],
      [`${base} and tags.missing IS NULL and params.lr != '0.1'`, ["r4", "r3", "r2"]],
    ];
    for (const [filter, expected] of cases) {
      const res = await search({ filter });
      expect(res.status, filter).toBe(200);
      expect(names(res), filter).toEqual(expected);
    }
  });

  it("orders by metrics, params and attributes and pages with next_page_token", async () => {
    expect(names(await search({ filter: base, order_by: ["metrics.`val loss` ASC"] }))).toEqual(["r3", "r2", "r4", "r1"]);
    expect(names(await search({ filter: base, order_by: ["params.lr DESC", "attributes.start_time ASC"] }))).toEqual(["r1", "r2", "r3", "r4"]);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const res = await search({ filter: base, max_results: 3, page_token: token, order_by: ["attributes.start_time"] });
      seen.push(...names(res));
      token = res.body.next_page_token;
    } while (token);
    expect(seen).toEqual(["r1", "r2", "r3", "r4"]);
  });

  it("answers a bad filter, order_by, max_results or token with a 400 that says what was expected", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ filter: "metrics.loss < 'low'" }, "Expected numeric value type for metric 'loss'"],
      [{ filter: "params.lr > '0.1'" }, "Invalid comparator '>' for param 'lr'"],
      [{ filter: "params.lr = '1' OR params.lr = '2'" }, "MLflow filters do not support OR"],
      [{ filter: "loss < 1" }, "Invalid identifier 'loss'"],
      [{ filter: "attributes.colour = 'red'" }, "Invalid attribute key 'colour'"],
      [{ order_by: ["metrics.loss SIDEWAYS"] }, "expected ASC or DESC"],
      [{ max_results: 50_001 }, "max_results"],
      [{ page_token: "nonsense" }, "Invalid page token"],
    ];
    expect((await search({ experiment_ids: ["Not An Id"] })).body).toEqual({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "No Experiment with id=Not An Id exists" });
    for (const [params, message] of cases) {
      const res = await search(params);
      expect(res.status, message).toBe(400);
      expect(res.body.error_code).toBe("INVALID_PARAMETER_VALUE");
      expect(res.body.message).toContain(message);
    }
  });
});

describe("experiments, errors and credentials", () => {
  it("serves experiments by id and name, refuses duplicates, and reports missing ones", async () => {
    expect((await mlflow("experiments/get", { experiment_id: "0" })).body.experiment).toMatchObject({ experiment_id: "0", name: "Default" });
    expect((await mlflow("experiments/get-by-name", { experiment_name: "default" })).body.experiment.experiment_id).toBe("0");
    expect((await mlflow("experiments/get-by-name", { experiment_name: "nope" })).body).toEqual({ error_code: "RESOURCE_DOES_NOT_EXIST", message: "Could not find experiment with name 'nope'" });
    expect((await mlflow("experiments/get", { experiment_id: "nope" })).status).toBe(404);
    const searched = await mlflow("experiments/search", { filter: "name LIKE 'Def%'", max_results: 10 });
    expect(searched.body.experiments.map((e: any) => e.name)).toEqual(["Default"]);
    expect((await mlflow("experiments/get", {})).body).toEqual({ error_code: "INVALID_PARAMETER_VALUE", message: "Missing value for required parameter 'experiment_id'." });
    // A write key may not create projects (that needs an admin-scoped key or a signed-in user).
    expect((await mlflow("experiments/create", { name: "Default" })).body.error_code).toBe("RESOURCE_ALREADY_EXISTS");
    expect((await mlflow("experiments/create", { name: "New one" })).body.error_code).toBe("PERMISSION_DENIED");
  });

  it("answers unknown paths, wrong methods, bad JSON and unknown runs in MLflow's shape", async () => {
    expect(await mlflow("runs/teleport", {})).toMatchObject({ status: 404, body: { error_code: "ENDPOINT_NOT_FOUND" } });
    expect((await mlflow("runs/log-batch", {}, { method: "GET" })).status).toBe(405);
    expect(await mlflow("runs/log-batch", {}, { raw: "{not json" })).toMatchObject({ status: 400, body: { error_code: "INVALID_PARAMETER_VALUE" } });
    expect(await mlflow("runs/get", { run_id: "0123456789abcdef" })).toMatchObject({ status: 404, body: { error_code: "RESOURCE_DOES_NOT_EXIST" } });
    // Older clients name the run run_uuid only.
    const legacy = await newRun();
    expect((await mlflow("runs/log-batch", { run_uuid: legacy, params: [{ key: "a", value: "1" }] })).status).toBe(200);
    expect((await mlflow("runs/get", { run_uuid: legacy })).body.run.data.params).toEqual([{ key: "a", value: "1" }]);
    expect((await mlflow("runs/get", {})).body.message).toBe("Missing value for required parameter 'run_id'.");
    const noRun = await mlflow("runs/log-batch", { metrics: [] });
    expect(noRun.status).toBe(400);
    expect(noRun.body.message).toMatch(/^run_id: /);
  });

  it("takes the API key as a Bearer token or as the HTTP Basic password, and refuses anything else", async () => {
    const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    expect((await mlflow("experiments/get", { experiment_id: "0" }, { auth: basic("ana", key) })).status).toBe(200);
    expect((await mlflow("experiments/get", { experiment_id: "0" }, { auth: basic("ana", key), prefix: "/ajax-api/2.0/mlflow" })).status).toBe(200);
    expect(await mlflow("experiments/get", { experiment_id: "0" }, { auth: basic("ana", "ft_wrong") })).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
    expect(await mlflow("experiments/get", { experiment_id: "0" }, { auth: null })).toMatchObject({ status: 401, body: { error_code: "UNAUTHENTICATED" } });
  });
});
