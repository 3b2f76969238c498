// Data parallelism over worker threads (tfjs-wasm runs one thread per backend in Node): the main
// thread computes the first shard of a batch, each worker the next, with the same custom-gradient
// step; the shards' losses are scaled by their share of the batch's loss weight, so the gradients
// summed through shared memory equal the full batch's. Clipping and the optimizer then run once,
// on the main thread. Workers keep a copy of the model and reload the parameters the step changed
// from shared memory before the next shard. One pool serves the process (workers are unref'd and
// started on first use); a different model, or a frozen weight changed since, is sent again whole.
import * as tf from "@tensorflow/tfjs-core";
import { availableParallelism, loadavg } from "node:os";
import type { Worker } from "node:worker_threads";
import { receive, send, type ChannelEnd } from "../parallel/blocking-channel";
import { spawnWorker } from "../parallel/spawn-worker";
import { allocateShared, sharedViews, type SharedFloats } from "../parallel/shared-floats";
import { threadCpuMs } from "../parallel/thread-cpu";
import { kernelRoutes } from "../layers/kernel-routes";
import type { ForwardContext } from "../models/forward";
import type { LoadedModel } from "../types";
import { batchGradients, type Penalties } from "./batch-gradients";
import type { Batch } from "./collate-batch";
import { snapshotModel } from "./model-snapshot";
import { splitBatch } from "./split-batch";
import type { WorkerReply, WorkerRequest } from "./grad-worker";

/** Fewer tokens (rows for classifier batches) per shard stay on one thread. The CPU critical path
 *  (tiny, 2 threads, shipped kernels) was 1.45x shorter at 256 tokens per shard, ~1.3x at 128 and
 *  ~1.2x at 64: below 256 the gain is small enough for a shared machine's scheduling to eat. */
export const MIN_TOKENS_PER_SHARD = 256;
const START_TIMEOUT_MS = 120_000;
const STEP_TIMEOUT_MS = 600_000;
const ENTRY = new URL(`./grad-worker${import.meta.url.endsWith(".ts") ? ".ts" : ".js"}`, import.meta.url);

interface Link {
  worker: Worker;
  channel: ChannelEnd;
  grads: Float32Array[];
  /** Data id of each parameter as of the worker's last reload from the shared values. */
  seen: object[];
}

interface Pool {
  backend: string;
  links: Link[];
  /** What the workers hold: the model, its variables' data ids when sent, the parameter layout. */
  model: LoadedModel | null;
  dataIds: Map<tf.Variable, object>;
  paramNames: string[];
  params: Float32Array[];
  /** Data id of each parameter when last written to `params`. */
  published: object[];
}

const settings = {
  threads: availableParallelism(),
  minTokensPerShard: MIN_TOKENS_PER_SHARD,
  /** At or above this 1-minute load average the step stays on one thread: on cores other
   *  processes already fill, a second thread only adds the split's overhead (measured 0.7-0.85x
   *  at load 12 on 2 cores, where the CPU critical path was 1.6-1.7x shorter). */
  busyLoadAverage: availableParallelism() + 1,
};
/** Steps taken data-parallel, their shards, and the CPU time of the main thread's own shard and
 *  of the busiest worker's, summed over steps (ms). */
const stats = { steps: 0, shards: 0, mainCpuMs: 0, workerCpuMs: 0 };
let pool: Pool | null = null;
/** Why workers could not start in this process, once they failed. */
let unavailable: string | null = null;

/** Threads a data-parallel step may use (main included; default: the machine's cores), the
 *  smallest shard worth a thread, and the load average that means the cores are busy (Infinity:
 *  never). Returns the previous setting. */
export function configureDataParallel(next: Partial<typeof settings>): typeof settings {
  const before = { ...settings };
  for (const [k, n] of Object.entries(next)) {
    const ok = k === "busyLoadAverage" ? n > 0 : Number.isInteger(n) && n >= 1;
    if (!ok) throw new Error(`data-parallel ${k}: expected ${k === "busyLoadAverage" ? "a number > 0" : "an integer >= 1"}, got ${n}`);
  }
  Object.assign(settings, next);
  return before;
}

export function dataParallelStats(): Readonly<typeof stats> {
  return { ...stats };
}

/** Ends the workers (the next data-parallel step starts new ones). */
export async function stopDataParallel(): Promise<void> {
  const p = pool;
  pool = null;
  await Promise.all(p?.links.map((l) => l.worker.terminate()) ?? []);
}

const dataId = (v: tf.Variable) => (v as unknown as { dataId: object }).dataId;

/** The worker's next reply; a worker that does not answer is ended with the whole pool. */
function answer(link: Link, what: string, timeoutMs: number): WorkerReply {
  try {
    return receive(link.channel, timeoutMs, what) as WorkerReply;
  } catch (err) {
    void stopDataParallel();
    throw err;
  }
}

function ask(link: Link, request: WorkerRequest, what: string): WorkerReply {
  send(link.channel, request);
  return check(answer(link, what, STEP_TIMEOUT_MS), what);
}

function check(reply: WorkerReply, what: string): WorkerReply {
  if ("error" in reply) throw new Error(`${what}: ${reply.error}`);
  return reply;
}

/** The pool with at least `workers` workers, or null (warned once) when workers cannot start here. */
function ensurePool(workers: number): Pool | null {
  if (unavailable) return null;
  const backend = tf.getBackend();
  if (pool && pool.backend !== backend) void stopDataParallel();
  if (!pool) pool = { backend, links: [], model: null, dataIds: new Map(), paramNames: [], params: [], published: [] };
  try {
    while (pool.links.length < workers) {
      const { worker, channel } = spawnWorker(ENTRY, { backend });
      const link: Link = { worker, channel, grads: [], seen: [] };
      pool.links.push(link);
      pool.model = null; // the new worker holds no model yet
      check(answer(link, "data-parallel worker start", START_TIMEOUT_MS), "data-parallel worker start");
    }
  } catch (err) {
    unavailable = err instanceof Error ? err.message : String(err);
    console.warn(`trainer: training on one thread (${unavailable})`);
    void stopDataParallel();
    return null;
  }
  return pool;
}

function allVariables(model: LoadedModel): tf.Variable[] {
  return [...model.weights.values(), ...model.extra.values()];
}

/** Sends the model to every worker unless they hold it already with the same frozen weights. */
function ensureLoaded(p: Pool, model: LoadedModel, params: { name: string; variable: tf.Variable }[]): void {
  const names = params.map((q) => q.name);
  const trainable = new Set(params.map((q) => q.variable));
  const same =
    p.model === model &&
    names.length === p.paramNames.length &&
    names.every((n, i) => n === p.paramNames[i]) &&
    allVariables(model).every((v) => trainable.has(v) || p.dataIds.get(v) === dataId(v));
  if (same) return;
  const snapshot = snapshotModel(model);
  const sizes = params.map((q) => q.variable.size);
  const shared: SharedFloats = allocateShared(sizes);
  for (const link of p.links) {
    const grads = allocateShared(sizes);
    link.grads = sharedViews(grads);
    ask(link, { kind: "load", snapshot, paramNames: names, params: shared, grads }, "data-parallel worker load");
    link.seen = params.map((q) => dataId(q.variable)); // the snapshot carried these values
  }
  p.model = model;
  p.paramNames = names;
  p.params = sharedViews(shared);
  p.published = params.map((q) => dataId(q.variable)); // the snapshot carried these values
  p.dataIds = new Map(allVariables(model).map((v) => [v, dataId(v)]));
}

/** How many shards this batch is worth on `threads` threads (1 = stay on this thread). */
export function shardCount(batch: Batch): number {
  const tokens = batch.kind === "lm" ? batch.b * batch.t : batch.b;
  return Math.max(1, Math.min(settings.threads, batch.b, Math.floor(tokens / settings.minTokensPerShard)));
}

/** Dropout seed of shard k: shard 0 keeps the step's seed, so one shard is the one-thread step. */
const shardSeed = (seed: number, k: number) => (seed + k * 1_000_003) % 2147483647;

/** The data-parallel counterpart of batchGradients (default loss); null when the route is off, the
 *  batch too small, the cores busy, or the model carries in-memory transforms. */
export function dataParallelGradients(
  model: LoadedModel,
  params: { name: string; variable: tf.Variable }[],
  batch: Batch,
  ctx: ForwardContext,
  penalties: Penalties,
): { loss: number; grads: (Float32Array | undefined)[] } | null {
  const routes = kernelRoutes();
  const parts = shardCount(batch);
  if (!routes.dataParallel || parts < 2 || model.transforms || ctx.reference || tf.getBackend() === "tensorflow") return null;
  if (loadavg()[0] >= settings.busyLoadAverage) return null;
  const p = ensurePool(parts - 1);
  if (!p) return null;
  ensureLoaded(p, model, params);
  params.forEach((q, i) => {
    const id = dataId(q.variable);
    if (p.published[i] === id) return;
    p.params[i].set(q.variable.dataSync() as Float32Array);
    p.published[i] = id;
  });
  const shards = splitBatch(batch, parts);
  const links = p.links.slice(0, parts - 1);
  links.forEach((link, j) => {
    const changed = params.flatMap((_, i) => (link.seen[i] === p.published[i] ? [] : [i]));
    link.seen = [...p.published];
    const shard = shards[j + 1];
    const request: WorkerRequest = { kind: "step", batch: shard.batch, scale: shard.scale, penalties: null, dropout: ctx.dropout, seed: shardSeed(ctx.seed, j + 1), routes: { ...routes }, changed };
    send(link.channel, request);
  });
  const vars = params.map((q) => q.variable);
  const replies: WorkerReply[] = [];
  let own: ReturnType<typeof batchGradients>;
  const cpu0 = threadCpuMs();
  try {
    own = batchGradients(model, vars, shards[0].batch, ctx, penalties, shards[0].scale);
    stats.mainCpuMs += threadCpuMs() - cpu0;
  } finally {
    // Every sent step is answered before anything else is asked, even when this shard failed.
    for (const link of links) replies.push(answer(link, "data-parallel worker step", STEP_TIMEOUT_MS));
  }
  const grads = own.grads.map((g) => g?.slice());
  let loss = own.loss;
  let workerCpuMs = 0;
  replies.forEach((r, j) => {
    const reply = check(r, "data-parallel worker step");
    if (!("loss" in reply)) throw new Error("data-parallel worker step: unexpected reply");
    loss += reply.loss;
    workerCpuMs = Math.max(workerCpuMs, reply.cpuMs);
    const missing = new Set(reply.missing);
    const theirs = links[j].grads;
    grads.forEach((g, i) => {
      if (missing.has(i)) return;
      if (!g) grads[i] = theirs[i].slice();
      else for (let x = 0; x < g.length; x++) g[x] += theirs[i][x];
    });
  });
  stats.steps += 1;
  stats.shards += parts;
  stats.workerCpuMs += workerCpuMs;
  return { loss, grads };
}
