// Series reads: curves of R runs x S steps downsampled to 1,000 points each, beside a raw SELECT of
// the same rows, in the same database in the same run. Target: <= 0.25 x the raw SELECT, and flat
// as runs get longer (the scaling table uses 10 runs of growing length).
//   npx tsx bench/read.ts [--runs 100] [--steps 10000] [--scale 1]
import type { AppRouter } from "@finetrack/api";
import { createApiKey, createProject, createRun, getSeries, logMetrics } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { createTRPCClient, httpLink } from "@trpc/client";
import { wireTransformer } from "@finetrack/contracts";
import { arg, median, startServerProcess, timed } from "./lib/harness";

const RUNS = arg("runs", 100);
const STEPS = arg("steps", 10_000);
const SCALE = arg("scale", 1) > 0;
const MAX_POINTS = 1_000;
const KEY = "loss";
const valueOf = (run: number, step: number) => 2 * Math.exp(-step / 3_000) + 0.05 * Math.sin(step / 7 + run) + (step % 997 === 0 ? 0.3 : 0);

async function seed(db: Db, prefix: string, runs: number, steps: number): Promise<string[]> {
  const ids = Array.from({ length: runs }, (_, r) => `${prefix}${r}`);
  const jobs: { id: string; r: number; from: number }[] = [];
  for (const [r, id] of ids.entries()) {
    await createRun(db, { project: "bench", id });
    for (let from = 0; from < steps; from += 10_000) jobs.push({ id, r, from });
  }
  const worker = async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) {
      const points = [];
      for (let step = job.from; step < Math.min(steps, job.from + 10_000); step++) points.push({ key: KEY, step, value: valueOf(job.r, step), epoch: step / 1_000, time: Date.UTC(2026, 0, 1) + step * 50 });
      await logMetrics(db, { runId: job.id, points });
    }
  };
  await Promise.all([worker(), worker()]);
  return ids;
}

/** The rows as stored; `asDates` lets node-pg build a Date per row, else time comes as epoch ms like the series. */
async function rawSelect(db: Db, ids: string[], asDates = false): Promise<number> {
  const { rows: runs } = await db.pool.query(`SELECT seq FROM "Run" WHERE id = ANY($1)`, [ids]);
  const { rows: keys } = await db.pool.query(`SELECT id FROM "MetricKey" WHERE name = $1`, [KEY]);
  const { rows } = await db.pool.query(
    `SELECT "runSeq", "step", "value", "epoch", ${asDates ? `"time"` : `round(date_part('epoch', "time") * 1000) AS "time"`} FROM "MetricPoint" WHERE "runSeq" = ANY($1::int[]) AND "keyId" = $2 ORDER BY "runSeq", "step"`,
    [runs.map((r) => r.seq), keys[0].id],
  );
  return rows.length;
}

async function measure(label: string, repeats: number, fn: () => Promise<unknown>): Promise<number> {
  await fn(); // warm caches and plans, as a dashboard that is already open would have
  const times = [];
  for (let i = 0; i < repeats; i++) times.push((await timed(fn)).ms);
  const ms = median(times);
  console.log(`  ${label.padEnd(44)} ${ms.toFixed(1).padStart(8)} ms  (median of ${repeats})`);
  return ms;
}

const db = await createTestDb();
await createProject(db, { slug: "bench", name: "Bench" });
const key = await createApiKey(db, { project: "bench", name: "bench", scopes: ["read"] });
const server = await startServerProcess(db.url);
const client = createTRPCClient<AppRouter>({ links: [httpLink({ url: server.url, transformer: wireTransformer, headers: { authorization: `Bearer ${key.secret}` } })] });

const seeded = await timed(() => seed(db, "main-", RUNS, STEPS));
const ids = seeded.result;
await db.pool.query("VACUUM ANALYZE");
console.log(`read: ${RUNS} runs x ${STEPS.toLocaleString()} steps (seeded in ${(seeded.ms / 1000).toFixed(1)} s), series downsampled to ${MAX_POINTS} points per curve`);
const check = await getSeries(db, { runIds: ids, keys: [KEY], maxPoints: MAX_POINTS });
if (check.series.some((s) => s.step.length > MAX_POINTS || s.step[0] !== 0 || s.step.at(-1) !== STEPS - 1)) throw new Error("bad series");
const points = check.series.reduce((n, s) => n + s.step.length, 0);
await measure(`raw SELECT of ${(RUNS * STEPS).toLocaleString()} rows, time as Date`, 3, () => rawSelect(db, ids, true));
const raw = await measure(`raw SELECT of ${(RUNS * STEPS).toLocaleString()} rows, time as ms`, 3, () => rawSelect(db, ids));
const core = await measure(`getSeries in-process (${points.toLocaleString()} points)`, 5, () => getSeries(db, { runIds: ids, keys: [KEY], maxPoints: MAX_POINTS }));
const http = await measure("metric.series over tRPC/HTTP", 5, () => client.metric.series.query({ runIds: ids, keys: [KEY], maxPoints: MAX_POINTS }));
console.log(`  ratio in-process ${(core / raw).toFixed(3)} x raw, over HTTP ${(http / raw).toFixed(3)} x raw (target <= 0.25)`);

if (SCALE) {
  console.log("scaling with run length (10 runs each, 1,000 points per curve):");
  for (const steps of [1_000, 10_000, 100_000]) {
    const scaled = await seed(db, `len${steps}-`, 10, steps);
    await db.pool.query("VACUUM ANALYZE");
    const r = await measure(`  raw SELECT, ${steps.toLocaleString()} steps`, 3, () => rawSelect(db, scaled));
    const s = await measure(`  getSeries, ${steps.toLocaleString()} steps`, 5, () => getSeries(db, { runIds: scaled, keys: [KEY], maxPoints: MAX_POINTS }));
    console.log(`    ratio ${(s / r).toFixed(3)}`);
  }
}
await server.stop();
await db.close();
process.exit(0);
