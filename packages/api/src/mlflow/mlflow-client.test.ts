import { createApiKey, createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { init } from "@finetrack/sdk";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import MLflow from "mlflow";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createContext } from "../context";
import { createHttpServer, type HttpServer } from "../http-server";
import "../index";
import { createCaller } from "../root";

// The npm `mlflow` package (a Node MLflow REST client written by others) as the external client.
// It prints every POST body with console.log; that noise is kept out of the test output.
vi.spyOn(console, "log").mockImplementation(() => {});

let db: Db;
let server: HttpServer;
let origin: string;
let adminKey: string;
let otherKey: string;
let readKey: string;

beforeAll(async () => {
  db = await createTestDb();
  server = await createHttpServer({ db, authEnabled: true, crashTimeoutMs: 0 });
  origin = new URL(server.url).origin;
  await createProject(db, { slug: "default", name: "Default project" });
  await createProject(db, { slug: "q", name: "Q" });
  adminKey = (await createApiKey(db, { project: "default", name: "admin", scopes: ["admin"] })).secret;
  otherKey = (await createApiKey(db, { project: "q", name: "other", scopes: ["write"] })).secret;
  readKey = (await createApiKey(db, { project: "default", name: "read", scopes: ["read"] })).secret;
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const STEPS = 1500;
/** An overfitting run: training loss keeps falling, validation loss bottoms out near step 600 and climbs. */
function losses(step: number): { train: number; val: number } {
  const train = 2 * Math.exp(-step / 300) + 0.1;
  const val = 0.6 + 0.9 * Math.exp(-step / 200) + 0.0004 * Math.max(0, step - 600) + 0.01 * Math.sin(step);
  return { train, val };
}

/** The client's typings require fields MLflow itself makes optional (user_id, artifact_location), so it is used untyped. */
const mlflowAs = (key: string): any => new MLflow({ endpoint: origin, headers: { Authorization: `Bearer ${key}` } });

async function ours(key = adminKey) {
  return createCaller(await createContext({ db, headers: new Headers({ authorization: `Bearer ${key}` }), authEnabled: true }));
}

/** The client's thrown error as {status, data}: it throws Error('Error: {"status":…,"data":…}'). */
async function rejection(promise: Promise<unknown>): Promise<{ status: number; data: { error_code: string; message: string } }> {
  try {
    await promise;
  } catch (error) {
    return JSON.parse((error as Error).message.replace(/^Error: /, ""));
  }
  throw new Error("expected the call to fail");
}

describe("the npm mlflow client against finetrack", () => {
  const client = () => mlflowAs(adminKey);

  it("creates an experiment, logs params, tags and 3,000 points in batches, and reads them back through MLflow's API and ours", async () => {
    const { experiment_id } = await client().Experiments.create({ name: "LoRA sweep" });
    expect(experiment_id).toBe("lora-sweep");
    // An API key is for one project: the new experiment gets its own key, as `finetrack keys create` would mint.
    const sweepKey = (await createApiKey(db, { project: "lora-sweep", name: "sweep", scopes: ["write"] })).secret;
    const { Experiments, Runs, Metrics } = mlflowAs(sweepKey);
    const { experiment } = await Experiments.get({ experiment_id });
    expect(experiment).toMatchObject({ experiment_id, name: "LoRA sweep", lifecycle_stage: "active" });
    expect((await Experiments.list()).experiments.map((e: { name: string }) => e.name)).toEqual(["LoRA sweep"]);
    const admins = (await client().Experiments.list()).experiments;
    expect(admins.find((e: { name: string }) => e.name === "Default")?.experiment_id).toBe("0");

    const startTime = Date.UTC(2026, 0, 5, 9);
    const { run } = await Runs.create({
      experiment_id,
      start_time: startTime,
      tags: [
        { key: "mlflow.runName", value: "llama-lora-r8" },
        { key: "mlflow.note.content", value: "baseline for the sweep" },
        { key: "mlflow.user", value: "ana" },
        { key: "team", value: "nlp" },
      ],
    });
    const runId: string = run.info.run_id;
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(run.info).toMatchObject({ run_name: "llama-lora-r8", experiment_id, status: "RUNNING", start_time: startTime, user_id: "ana", lifecycle_stage: "active" });

    const params = [
      { key: "model_name_or_path", value: "meta-llama/Llama-3.2-1B" },
      { key: "dataset_name", value: "tatsu-lab/alpaca" },
      { key: "finetuning_type", value: "lora" },
      { key: "lora_r", value: "8" },
      { key: "learning_rate", value: "0.0002" },
    ];
    await Runs.logBatch({ run_id: runId, params, tags: [{ key: "stage", value: "sweep-1" }] });
    const sent: { key: string; value: number; timestamp: number; step: number }[] = [];
    for (let step = 0; step < STEPS; step++) {
      const { train, val } = losses(step);
      sent.push({ key: "train/loss", value: train, timestamp: startTime + step * 1000, step }, { key: "val/loss", value: val, timestamp: startTime + step * 1000 + 500, step });
    }
    for (let i = 0; i < sent.length; i += 1000) await Runs.logBatch({ run_id: runId, metrics: sent.slice(i, i + 1000) });
    // A retried batch (the client did not see the answer) changes nothing.
    await Runs.logBatch({ run_id: runId, metrics: sent.slice(0, 1000) });
    await Runs.logMetric({ run_id: runId, key: "val/accuracy", value: 0.71, timestamp: startTime + 2_000_000, step: STEPS });
    await Runs.setTag({ run_id: runId, key: "reviewed", value: "true" });
    await Runs.update({ run_id: runId, status: "FINISHED", end_time: startTime + 3_600_000 });

    // Back through MLflow's API.
    const got = (await Runs.get({ run_id: runId })).run;
    expect(got.info).toMatchObject({ status: "FINISHED", end_time: startTime + 3_600_000, run_name: "llama-lora-r8" });
    expect(Object.fromEntries(got.data.params.map((p: { key: string; value: string }) => [p.key, p.value]))).toEqual(Object.fromEntries(params.map((p) => [p.key, p.value])));
    const tags = Object.fromEntries(got.data.tags.map((t: { key: string; value: string }) => [t.key, t.value]));
    expect(tags).toMatchObject({ "mlflow.runName": "llama-lora-r8", "mlflow.note.content": "baseline for the sweep", team: "nlp", stage: "sweep-1", reviewed: "true", "mlflow.user": "ana" });
    const latest = Object.fromEntries(got.data.metrics.map((m: { key: string }) => [m.key, m]));
    expect(latest["train/loss"]).toEqual(sent[sent.length - 2]);
    expect(latest["val/loss"]).toEqual(sent[sent.length - 1]);
    expect(latest["val/accuracy"]).toEqual({ key: "val/accuracy", value: 0.71, timestamp: startTime + 2_000_000, step: STEPS });
    const history = await Metrics.getHistory({ run_id: runId, metric_key: "val/loss" });
    expect(history.metrics).toEqual(sent.filter((m) => m.key === "val/loss"));
    const search = await Runs.search({ experiment_ids: [experiment_id], filter: "params.finetuning_type = 'lora' and metrics.`val/loss` < 1.5 and tags.team = 'nlp'" });
    expect(search.runs.map((r: { info: { run_id: string } }) => r.info.run_id)).toEqual([runId]);

    // And through ours: the dashboard's first-class fields are filled in from the params.
    const api = await ours(sweepKey);
    const mine = await api.run.get({ id: runId });
    expect(mine).toMatchObject({ name: "llama-lora-r8", notes: "baseline for the sweep", status: "finished", baseModel: "meta-llama/Llama-3.2-1B", method: "lora" });
    expect(mine.dataset?.name).toBe("tatsu-lab/alpaca");
    // Numbers where the text reads back as exactly that number, so the factor analysis sees numbers.
    expect(mine.config).toMatchObject({ lora_r: 8, learning_rate: 0.0002, finetuning_type: "lora" });
    expect(mine.tags.sort()).toEqual(["reviewed", "stage:sweep-1", "team:nlp"]);
    expect(mine.metricStats["val/loss"].count).toBe(STEPS);
    const { series } = await api.metric.series({ runIds: [runId], keys: ["train/loss"], maxPoints: 20_000 });
    expect(series[0].step).toEqual(sent.filter((m) => m.key === "train/loss").map((m) => m.step));
    expect(series[0].value).toEqual(sent.filter((m) => m.key === "train/loss").map((m) => m.value));
    expect(series[0].time).toEqual(sent.filter((m) => m.key === "train/loss").map((m) => m.timestamp));
  });

  it("diagnoses an overfitting run logged through MLflow exactly as the same points logged through our SDK", async () => {
    const { Runs } = client();
    const { run } = await Runs.create({ experiment_id: "0", tags: [{ key: "mlflow.runName", value: "via-mlflow" }] });
    const runId = run.info.run_id;
    await Runs.logBatch({ run_id: runId, params: [{ key: "learning_rate", value: "0.0002" }] });
    const metrics = [];
    for (let step = 0; step < STEPS; step++) {
      const { train, val } = losses(step);
      metrics.push({ key: "train/loss", value: train, timestamp: Date.now(), step }, { key: "val/loss", value: val, timestamp: Date.now(), step });
    }
    for (let i = 0; i < metrics.length; i += 1000) await Runs.logBatch({ run_id: runId, metrics: metrics.slice(i, i + 1000) });
    await Runs.update({ run_id: runId, status: "FINISHED", end_time: Date.now() });

    const sdkRun = await init({ project: "default", url: server.url, apiKey: adminKey, name: "via-sdk", config: { learning_rate: "0.0002" }, home: mkdtempSync(join(tmpdir(), "ft-mlflow-")), quiet: true });
    for (let step = 0; step < STEPS; step++) {
      const { train, val } = losses(step);
      sdkRun.log({ "train/loss": train, "val/loss": val }, { step });
    }
    await sdkRun.finish();

    const api = await ours();
    const viaMlflow = await api.analysis.diagnose({ runId });
    const viaSdk = await api.analysis.diagnose({ runId: sdkRun.id });
    expect(viaMlflow.diagnosis?.verdict).toBe("overfitting");
    // Wall time differs between the two runs (the SDK stamps its own clock), so the seconds saved
    // (a number, and its mention at the end of the early-stopping advice) are left out.
    const noWallTime = (k: string, v: unknown) =>
      k === "wallSecondsSaved" ? null : k === "message" && typeof v === "string" ? v.replace(/ and [\d.,]+ ?(ms|s|min|h)$/, "") : v;
    const comparable = (d: typeof viaMlflow) => JSON.parse(JSON.stringify({ ...d, runId: null }, noWallTime));
    expect(comparable(viaMlflow)).toEqual(comparable(viaSdk));
  });

  it("answers MLflow's errors: a changed param, an unknown run, a key of another project", async () => {
    const { Runs } = client();
    const { run } = await Runs.create({ experiment_id: "0" });
    const runId = run.info.run_id;
    await Runs.logParameter({ run_id: runId, key: "lr", value: "0.1" });
    await Runs.logParameter({ run_id: runId, key: "lr", value: "0.1" });
    const changed = await rejection(Runs.logParameter({ run_id: runId, key: "lr", value: "0.2" }));
    expect(changed.status).toBe(400);
    expect(changed.data).toEqual({
      error_code: "INVALID_PARAMETER_VALUE",
      message: `params[0].value: Changing param values is not allowed. Param with key='lr' was already logged with value='0.1' for run ID='${runId}'. Attempted logging new value '0.2'.`,
    });
    const missing = await rejection(Runs.get({ run_id: "0123456789abcdef0123456789abcdef" }));
    expect(missing.status).toBe(404);
    expect(missing.data.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    // Another project's run answers as a missing one; a read-only key may not write.
    const foreign = mlflowAs(otherKey);
    const hidden = await rejection(foreign.Runs.logMetric({ run_id: runId, key: "x", value: 1, timestamp: Date.now(), step: 0 }));
    expect(hidden.status).toBe(404);
    expect(hidden.data.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    const reader = mlflowAs(readKey);
    const denied = await rejection(reader.Runs.logMetric({ run_id: runId, key: "x", value: 1, timestamp: Date.now(), step: 0 }));
    expect(denied.status).toBe(403);
    expect(denied.data.error_code).toBe("PERMISSION_DENIED");
    expect((await Runs.get({ run_id: runId })).run.data.metrics).toEqual([]);
  });
});

describe("the npm mlflow client against a server with auth off (FINETRACK_AUTH=off, loopback only)", () => {
  it("needs no token: set_experiment's get-by-name then create, a run, its points", async () => {
    const open = await createHttpServer({ db, authEnabled: false, crashTimeoutMs: 0 });
    try {
      const { Experiments, Runs, Metrics } = new MLflow({ endpoint: new URL(open.url).origin }) as any;
      expect((await rejection(Experiments.get({ experiment_id: "local-exp" }))).status).toBe(404);
      const { experiment_id } = await Experiments.create({ name: "local exp" });
      const { run } = await Runs.create({ experiment_id, tags: [{ key: "mlflow.runName", value: "local" }] });
      await Runs.logMetric({ run_id: run.info.run_id, key: "loss", value: 0.5, timestamp: 1_000, step: 0 });
      await Runs.logMetric({ run_id: run.info.run_id, key: "loss", value: 0.4, timestamp: 2_000, step: 0 });
      const { metrics } = await Metrics.getHistory({ run_id: run.info.run_id, metric_key: "loss" });
      expect(metrics).toEqual([{ key: "loss", value: 0.5, timestamp: 1_000, step: 0 }, { key: "loss", value: 0.4, timestamp: 2_000, step: 0 }]);
      expect((await Runs.search({ experiment_ids: [experiment_id] })).runs.map((r: any) => r.info.run_name)).toEqual(["local"]);
    } finally {
      await open.close();
    }
  });
});
