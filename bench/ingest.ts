// Ingest throughput: N points over R runs through the SDK -> tRPC (HTTP, server in its own process)
// -> Postgres, beside a raw COPY of the same points into the same table of the same database in
// the same run. Target: SDK throughput >= 0.6 x binary COPY (issue 9).
//   npx tsx bench/ingest.ts [--runs 100] [--steps 5000] [--paths sdk,trpc] [--sdk-tuning '{"durable":false}'] [--sdk-before /tmp/old/packages/sdk/src]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AppRouter } from "@finetrack/api";
import { BinaryCopyWriter, createApiKey, createProject, createRun } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { init, type RunTuning } from "@finetrack/sdk";
import { createTRPCClient, httpLink } from "@trpc/client";
import { from as copyFrom } from "pg-copy-streams";
import { wireTransformer } from "@finetrack/contracts";
import { arg, startServerProcess, timed } from "./lib/harness";

const RUNS = arg("runs", 100);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const STEPS = arg("steps", 5_000);
/**
 * Also measure another copy of the SDK (e.g. an older commit's packages/sdk/src, extracted with
 * `git archive <commit> packages/sdk/src | tar -x -C /tmp/old && ln -s "$PWD/node_modules" /tmp/old/`,
 * so that it resolves @finetrack/*), so before and after share one run.
 */
const SDK_BEFORE = process.argv.includes("--sdk-before") ? process.argv[process.argv.indexOf("--sdk-before") + 1] : null;
/** Also measure the SDK with this tuning, e.g. --sdk-tuning '{"durable":false}' or '{"flushIntervalMs":3000}'. */
const SDK_TUNING = process.argv.includes("--sdk-tuning") ? (JSON.parse(process.argv[process.argv.indexOf("--sdk-tuning") + 1]) as Partial<RunTuning>) : null;
/** Which API paths to measure (the COPY baselines always run): --paths sdk,trpc */
const PATHS = new Set((process.argv.includes("--paths") ? process.argv[process.argv.indexOf("--paths") + 1] : "sdk,trpc").split(","));
const KEYS = ["train/loss", "val/loss"];
const TOTAL = RUNS * STEPS * KEYS.length;
const T0 = Date.UTC(2026, 0, 1);

const valueOf = (run: number, key: number, step: number) => 2 * Math.exp(-step / 1_000) + 0.05 * Math.sin(step / 7 + run) + key * 0.1;
const epochOf = (step: number) => step / 500;
const timeOf = (step: number) => T0 + step * 100;

async function countPoints(db: Db, prefix: string): Promise<number> {
  const { rows } = await db.pool.query(
    `SELECT count(*)::int AS n FROM "MetricPoint" p JOIN "Run" r ON r.seq = p."runSeq" WHERE r.id LIKE $1`, [`${prefix}%`]);
  return rows[0].n;
}

/**
 * COPY FROM STDIN of every point, formatted on the client from the same in-memory values, in
 * COPY's text format (what psql's \copy sends) or its binary format (what the API itself uses).
 */
async function copyPoints(db: Db, prefix: string, format: "text" | "binary"): Promise<number> {
  const seqs: number[] = [];
  for (let r = 0; r < RUNS; r++) {
    await createRun(db, { project: "bench", id: `${prefix}${r}` });
    seqs.push((await db.pool.query(`SELECT seq FROM "Run" WHERE id = $1`, [`${prefix}${r}`])).rows[0].seq);
  }
  const { rows: keyRows } = await db.pool.query(`SELECT id, name FROM "MetricKey" WHERE name = ANY($1)`, [KEYS]);
  const keyIds = KEYS.map((k) => keyRows.find((r) => r.name === k).id);
  const client = await db.pool.connect();
  try {
    const { ms } = await timed(async () => {
      const sql = `COPY "MetricPoint" ("runSeq", "keyId", "step", "value", "epoch", "time") FROM STDIN${format === "binary" ? " (FORMAT binary)" : ""}`;
      const stream = client.query(copyFrom(sql));
      const done = new Promise<void>((resolve, reject) => { stream.on("finish", resolve); stream.on("error", reject); });
      // One run per chunk; the binary header and trailer frame the whole stream.
      for (let r = 0; r < RUNS; r++) {
        let chunk: string | Buffer;
        if (format === "text") {
          chunk = "";
          for (let step = 0; step < STEPS; step++) {
            const time = new Date(timeOf(step)).toISOString();
            for (let k = 0; k < KEYS.length; k++) chunk += `${seqs[r]}\t${keyIds[k]}\t${step}\t${valueOf(r, k, step)}\t${epochOf(step)}\t${time}\n`;
          }
        } else {
          const w = new BinaryCopyWriter(STEPS * KEYS.length * 58);
          for (let step = 0; step < STEPS; step++) {
            for (let k = 0; k < KEYS.length; k++) w.row(6).int4(seqs[r]).int4(keyIds[k]).int4(step).float8(valueOf(r, k, step)).float4OrNull(epochOf(step)).timestampMs(timeOf(step));
          }
          const framed = w.finish();
          chunk = framed.subarray(r === 0 ? 0 : 19, r === RUNS - 1 ? framed.length : framed.length - 2);
        }
        if (!stream.write(chunk)) await new Promise((resolve) => stream.once("drain", resolve));
      }
      stream.end();
      await done;
    });
    return ms;
  } finally {
    client.release();
  }
}

/** Creates the runs (timed apart: init records system info, spawning git), then logs and finishes them. */
async function viaSdk(url: string, apiKey: string, prefix: string, tuning?: Partial<RunTuning>, initRun: typeof init = init, steps = STEPS): Promise<{ initMs: number; ms: number; loopMs: number; cpuMs: number }> {
  const home = mkdtempSync(path.join(tmpdir(), "ft-bench-"));
  try {
    const created = await timed(() => Promise.all(Array.from({ length: RUNS }, (_, r) => initRun({ project: "bench", id: `${prefix}${r}`, url, apiKey, home, quiet: true, tuning }))));
    const runs = created.result;
    let loopMs = 0;
    const c0 = cpuMs();
    const { ms } = await timed(async () => {
      const t0 = performance.now();
      for (let step = 0; step < steps; step++) {
        for (let r = 0; r < RUNS; r++) {
          runs[r].log({ [KEYS[0]]: valueOf(r, 0, step), [KEYS[1]]: valueOf(r, 1, step) }, { step, epoch: epochOf(step) });
        }
        // A training loop yields between steps; so does this one, letting the senders work.
        if (step % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
      }
      loopMs = performance.now() - t0;
      await Promise.all(runs.map((run) => run.finish()));
    });
    return { initMs: created.ms, ms, loopMs, cpuMs: cpuMs() - c0 };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

/** The same points through a bare tRPC client (one 10,000-point batch per request, 4 in flight). */
async function viaTrpc(url: string, apiKey: string): Promise<number> {
  const client = createTRPCClient<AppRouter>({ links: [httpLink({ url, transformer: wireTransformer, headers: { authorization: `Bearer ${apiKey}` } })] });
  const perBatch = Math.floor(10_000 / KEYS.length);
  const jobs: { run: number; from: number }[] = [];
  for (let r = 0; r < RUNS; r++) for (let from = 0; from < STEPS; from += perBatch) jobs.push({ run: r, from });
  const { ms } = await timed(async () => {
    await Promise.all(Array.from({ length: RUNS }, (_, r) => client.run.create.mutate({ project: "bench", id: `trpc-${r}` })));
    const worker = async () => {
      for (let job = jobs.shift(); job; job = jobs.shift()) {
        const points = [];
        for (let step = job.from; step < Math.min(STEPS, job.from + perBatch); step++) {
          for (let k = 0; k < KEYS.length; k++) points.push({ key: KEYS[k], step, value: valueOf(job.run, k, step), epoch: epochOf(step), time: timeOf(step) });
        }
        await client.metric.logBatch.mutate({ runId: `trpc-${job.run}`, points });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
  });
  return ms;
}

const db = await createTestDb();
await createProject(db, { slug: "bench", name: "Bench" });
const key = await createApiKey(db, { project: "bench", name: "bench", scopes: ["write"] });
await db.pool.query(`INSERT INTO "MetricKey" ("projectId", "name") SELECT id, unnest($1::text[]) FROM "Project" WHERE slug = 'bench'`, [KEYS]);
const server = await startServerProcess(db.url);
console.log(`ingest: ${TOTAL.toLocaleString()} points = ${RUNS} runs x ${STEPS} steps x ${KEYS.length} keys`);

// Baselines before and after the API paths, so that a growing table or a busy machine does not favour either side.
/** Wall time and this (client) process's CPU time of one path: a client-bound path has cpu ≈ wall. */
async function clientCost<T extends number | { cpuMs: number }>(fn: () => Promise<T>): Promise<{ cpuMs: number; result: T }> {
  const c0 = cpuMs();
  const result = await fn();
  // The SDK paths measure their own CPU, without init()'s (system info, git).
  return { cpuMs: typeof result === "number" ? cpuMs() - c0 : result.cpuMs, result };
}
// A fifth-size pass of each SDK copy first: the server, the JIT and the connections are warm for
// every measured path, not only for those after the first.
const oldInit: typeof init | null = SDK_BEFORE ? (await import(path.resolve(SDK_BEFORE, "index.ts"))).init : null;
if (PATHS.has("sdk") || SDK_TUNING) await viaSdk(server.url, key.secret, "warm-new-", undefined, init, STEPS / 5);
if (oldInit) await viaSdk(server.url, key.secret, "warm-old-", undefined, oldInit, STEPS / 5);
const copyTextA = await copyPoints(db, "copy-text-a-", "text");
const copyBinA = await copyPoints(db, "copy-bin-a-", "binary");
const sdk = PATHS.has("sdk") ? await clientCost(() => viaSdk(server.url, key.secret, "sdk-")) : null;
const sdkBefore = oldInit ? await clientCost(() => viaSdk(server.url, key.secret, "sdkold-", undefined, oldInit)) : null;
const sdkBig = SDK_TUNING ? await clientCost(() => viaSdk(server.url, key.secret, "sdkbig-", SDK_TUNING)) : null;
const trpc = PATHS.has("trpc") ? await clientCost(() => viaTrpc(server.url, key.secret)) : null;
const copyBinB = await copyPoints(db, "copy-bin-b-", "binary");
const copyTextB = await copyPoints(db, "copy-text-b-", "text");
const prefixes = ["copy-text-a-", "copy-bin-a-", "copy-bin-b-", "copy-text-b-", ...(sdk ? ["sdk-"] : []), ...(trpc ? ["trpc-"] : []), ...(sdkBig ? ["sdkbig-"] : []), ...(sdkBefore ? ["sdkold-"] : [])];
for (const prefix of prefixes) {
  const n = await countPoints(db, prefix);
  if (n !== TOTAL) throw new Error(`${prefix}: expected ${TOTAL} points stored, found ${n}`);
}
await server.stop();
await db.close();

const copyText = (copyTextA + copyTextB) / 2;
const copyBin = (copyBinA + copyBinB) / 2;
const rate = (ms: number) => `${Math.round(TOTAL / (ms / 1000)).toLocaleString().padStart(10)} points/s  (${(ms / 1000).toFixed(2)} s)`;
const ratios = (ms: number) => `ratio ${(copyText / ms).toFixed(2)} x text COPY, ${(copyBin / ms).toFixed(2)} x binary COPY`;
console.log(`raw COPY, text format             ${rate(copyText)}   [before ${(copyTextA / 1000).toFixed(2)} s, after ${(copyTextB / 1000).toFixed(2)} s]`);
console.log(`raw COPY, binary format           ${rate(copyBin)}   [before ${(copyBinA / 1000).toFixed(2)} s, after ${(copyBinB / 1000).toFixed(2)} s]`);
const cpu = (c: { cpuMs: number }, ms: number) => `client CPU ${(c.cpuMs / 1000).toFixed(2)} s = ${(c.cpuMs / ms).toFixed(2)} of wall`;
if (sdk) {
  console.log(`SDK -> tRPC/HTTP -> Postgres      ${rate(sdk.result.ms)}   ${ratios(sdk.result.ms)} (target >= 0.6 x binary); ${cpu(sdk, sdk.result.ms)}`);
  console.log(`  (the logging loop took ${(sdk.result.loopMs / 1000).toFixed(2)} s of it; creating the ${RUNS} runs with init() took ${(sdk.result.initMs / 1000).toFixed(2)} s more: system info, git)`);
}
if (sdkBefore) console.log(`SDK before (${SDK_BEFORE})`.padEnd(34) + ` ${rate(sdkBefore.result.ms)}   ${ratios(sdkBefore.result.ms)}; ${cpu(sdkBefore, sdkBefore.result.ms)}; logging loop ${(sdkBefore.result.loopMs / 1000).toFixed(2)} s`);
if (sdkBig) console.log(`SDK, tuning ${JSON.stringify(SDK_TUNING)}`.padEnd(34) + ` ${rate(sdkBig.result.ms)}   ${ratios(sdkBig.result.ms)}; ${cpu(sdkBig, sdkBig.result.ms)}; logging loop ${(sdkBig.result.loopMs / 1000).toFixed(2)} s`);
if (trpc) console.log(`bare tRPC client, 10k batches     ${rate(trpc.result)}   ${ratios(trpc.result)}; ${cpu(trpc, trpc.result)}`);
process.exit(0);
