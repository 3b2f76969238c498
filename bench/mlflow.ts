// The MLflow log-batch path beside our SDK, in the same run against the same server (its own
// process, real PostgreSQL): R runs logged in parallel, each by one sequential client, as R
// training processes would. MLflow clients send 1000 metrics per runs/log-batch request and wait
// for each answer; the SDK batches in the background. Both store the same points.
//   npx tsx bench/mlflow.ts [--runs 20] [--steps 5000]   (2 metric keys per step)
// The "step 0" line logs every value at step 0 (python's log_metric default), the path that
// places repeated steps and records their MLflow steps (MlflowStepRange).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApiKey, createProject } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { init } from "@finetrack/sdk";
import { arg, startServerProcess, timed } from "./lib/harness";

const RUNS = arg("runs", 20);
const STEPS = arg("steps", 5_000);
const KEYS = ["train/loss", "val/loss"];
const TOTAL = RUNS * STEPS * KEYS.length;
const PER_REQUEST = 1000;
const T0 = Date.UTC(2026, 0, 1);
const valueOf = (run: number, key: number, step: number) => 2 * Math.exp(-step / 1_000) + 0.05 * Math.sin(step / 7 + run) + key * 0.1;

async function countPoints(db: Db, prefix: string): Promise<number> {
  const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.name LIKE $1`, [`${prefix}%`]);
  return rows[0].n;
}

async function viaSdk(url: string, apiKey: string, prefix: string): Promise<number> {
  const home = mkdtempSync(path.join(tmpdir(), "ft-bench-"));
  try {
    const runs = await Promise.all(Array.from({ length: RUNS }, (_, r) => init({ project: "default", name: `${prefix}${r}`, url, apiKey, home, quiet: true })));
    const { ms } = await timed(async () => {
      for (let step = 0; step < STEPS; step++) {
        for (let r = 0; r < RUNS; r++) runs[r].log({ [KEYS[0]]: valueOf(r, 0, step), [KEYS[1]]: valueOf(r, 1, step) }, { step });
        if (step % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
      await Promise.all(runs.map((run) => run.finish()));
    });
    return ms;
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** runs/create, then log-batch requests of 1000 metrics one after another per run, then runs/update. */
async function viaMlflow(origin: string, apiKey: string, prefix: string, options: { stepZero?: boolean } = {}): Promise<number> {
  const post = async (p: string, body: unknown) => {
    const res = await fetch(`${origin}/api/2.0/mlflow/${p}`, { method: "POST", headers: { authorization: `Bearer ${apiKey}`, "content-type": "application/json" }, body: JSON.stringify(body) });
    const json = await res.json();
    if (res.status !== 200) throw new Error(`${p}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  const { ms } = await timed(() =>
    Promise.all(
      Array.from({ length: RUNS }, async (_, r) => {
        const { run } = await post("runs/create", { experiment_id: "0", tags: [{ key: "mlflow.runName", value: `${prefix}${r}` }] });
        const runId = run.info.run_id;
        let metrics: unknown[] = [];
        for (let step = 0; step < STEPS; step++) {
          for (let k = 0; k < KEYS.length; k++) metrics.push({ key: KEYS[k], value: valueOf(r, k, step), timestamp: T0 + step * 100, step: options.stepZero ? 0 : step });
          if (metrics.length === PER_REQUEST || step === STEPS - 1) {
            await post("runs/log-batch", { run_id: runId, metrics });
            metrics = [];
          }
        }
        await post("runs/update", { run_id: runId, status: "FINISHED", end_time: Date.now() });
      }),
    ),
  );
  return ms;
}

const db = await createTestDb();
await createProject(db, { slug: "default", name: "Default" });
const key = await createApiKey(db, { project: "default", name: "bench", scopes: ["write"] });
const server = await startServerProcess(db.url);
const origin = new URL(server.url).origin;
console.log(`mlflow: ${TOTAL.toLocaleString()} points per path = ${RUNS} runs x ${STEPS} steps x ${KEYS.length} keys, ${PER_REQUEST} metrics per log-batch`);

// A warm-up of both paths first (JIT, connection pools), not counted; then the SDK before and
// after the MLflow paths, so that a growing table does not favour either side.
await viaSdk(server.url, key.secret, "warm-sdk-");
await viaMlflow(origin, key.secret, "warm-mlflow-");
const sdkA = await viaSdk(server.url, key.secret, "sdk-a-");
const mlflow = await viaMlflow(origin, key.secret, "mlflow-");
const stepZero = await viaMlflow(origin, key.secret, "mlflow0-", { stepZero: true });
const sdkB = await viaSdk(server.url, key.secret, "sdk-b-");
for (const prefix of ["sdk-a-", "sdk-b-", "mlflow-", "mlflow0-"]) {
  const n = await countPoints(db, prefix);
  if (n !== TOTAL) throw new Error(`${prefix}: expected ${TOTAL} points stored, found ${n}`);
}
await server.stop();
await db.close();

const sdk = (sdkA + sdkB) / 2;
const rate = (ms: number) => `${Math.round(TOTAL / (ms / 1000)).toLocaleString().padStart(10)} points/s  (${(ms / 1000).toFixed(2)} s)`;
console.log(`SDK -> tRPC/HTTP                  ${rate(sdk)}   [before ${(sdkA / 1000).toFixed(2)} s, after ${(sdkB / 1000).toFixed(2)} s]`);
console.log(`MLflow runs/log-batch (1000/req)  ${rate(mlflow)}   ratio ${(sdk / mlflow).toFixed(2)} x SDK`);
console.log(`  same, every value at step 0     ${rate(stepZero)}   ratio ${(sdk / stepZero).toFixed(2)} x SDK`);
process.exit(0);
