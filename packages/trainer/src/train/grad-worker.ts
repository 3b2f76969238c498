// Worker side of the data-parallel step (data-parallel.ts): holds a copy of the model, takes a
// shard of each batch, writes its gradients into shared memory. Blocks between requests, so it
// never runs its event loop while training.
import * as tf from "@tensorflow/tfjs-core";
import { workerData } from "node:worker_threads";
import { initBackend, type BackendName } from "../backend";
import { receive, send, type ChannelEnd } from "../parallel/blocking-channel";
import { sharedViews } from "../parallel/shared-floats";
import { threadCpuMs } from "../parallel/thread-cpu";
import { setKernelRoutes, type KernelRoutes } from "../layers/kernel-routes";
import { disposeModel } from "../models/create-model";
import type { ForwardContext } from "../models/forward";
import type { LoadedModel } from "../types";
import { batchGradients, type Penalties } from "./batch-gradients";
import type { Batch } from "./collate-batch";
import { restoreModel, type ModelSnapshot } from "./model-snapshot";
import type { SharedFloats } from "../parallel/shared-floats";

export type WorkerRequest =
  | { kind: "load"; snapshot: ModelSnapshot; paramNames: string[]; params: SharedFloats; grads: SharedFloats }
  | {
      kind: "step";
      batch: Batch;
      scale: number;
      penalties: Penalties | null;
      dropout: number;
      seed: number;
      routes: KernelRoutes;
      /** Indices of the parameters whose shared values changed since the last step. */
      changed: number[];
    };

export type WorkerReply = { error: string } | { ready: true } | { loss: number; missing: number[]; cpuMs: number };

interface Loaded {
  model: LoadedModel;
  vars: tf.Variable[];
  params: Float32Array[];
  grads: Float32Array[];
  ctx: ForwardContext;
}

const { channel, data } = workerData as { channel: ChannelEnd; data: { backend: BackendName } };
let loaded: Loaded | null = null;

function unload() {
  if (!loaded) return;
  disposeModel(loaded.model);
  loaded.ctx.frozenT?.forEach((t) => t.dispose());
  loaded = null;
}

function load(r: Extract<WorkerRequest, { kind: "load" }>): WorkerReply {
  unload();
  const model = restoreModel(r.snapshot);
  const vars = r.paramNames.map((n) => {
    const v = model.weights.get(n) ?? model.extra.get(n);
    if (!v) throw new Error(`parameter '${n}' is missing from the snapshot of '${model.name}'`);
    return v;
  });
  const ctx: ForwardContext = { training: true, dropout: 0, seed: 0, trainable: new Set(r.paramNames), frozenT: new Map() };
  loaded = { model, vars, params: sharedViews(r.params), grads: sharedViews(r.grads), ctx };
  return { ready: true };
}

function step(r: Extract<WorkerRequest, { kind: "step" }>): WorkerReply {
  if (!loaded) throw new Error("step before load");
  const { model, vars, params, grads, ctx } = loaded;
  setKernelRoutes({ ...r.routes, dataParallel: false });
  ctx.dropout = r.dropout;
  ctx.seed = r.seed;
  const cpu0 = threadCpuMs();
  return tf.tidy(() => {
    for (const i of r.changed) vars[i].assign(tf.tensor(params[i].slice(), vars[i].shape));
    const out = batchGradients(model, vars, r.batch, ctx, r.penalties, r.scale);
    const missing: number[] = [];
    out.grads.forEach((g, i) => (g ? grads[i].set(g) : missing.push(i)));
    return { loss: out.loss, missing, cpuMs: threadCpuMs() - cpu0 };
  });
}

async function main() {
  try {
    await initBackend(data.backend);
  } catch (err) {
    send(channel, { error: `backend '${data.backend}': ${String(err)}` } satisfies WorkerReply);
    return;
  }
  send(channel, { ready: true } satisfies WorkerReply);
  for (;;) {
    const r = receive(channel, Infinity, "data-parallel worker") as WorkerRequest;
    let reply: WorkerReply;
    try {
      reply = r.kind === "load" ? load(r) : step(r);
    } catch (err) {
      reply = { error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
    }
    send(channel, reply);
  }
}

void main();
