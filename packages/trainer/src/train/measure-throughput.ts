import * as tf from "@tensorflow/tfjs-core";
import type { Example, LoadedModel } from "../types";
import { collateBatch } from "./collate-batch";
import { trainStep } from "./train-step";
import { trainableVariables } from "../peft/apply-method";
import { createOptimizer } from "../optim/create-optimizer";
import { resolveHyper } from "./resolve-hyper";
import type { ForwardContext } from "../models/forward";
import { dataParallelStats } from "./data-parallel";
import { threadCpuMs } from "../parallel/thread-cpu";

export interface ThroughputOptions {
  /** A model with its method already applied (or none = full). */
  model: LoadedModel;
  batch: Example[];
  steps: number;
  warmup?: number;
  /** Measure tf's autodiff layers instead of the custom-gradient ones. */
  reference?: boolean;
}

export interface Throughput {
  tokensPerSec: number;
  msPerStep: number;
  tokensPerStep: number;
  /** CPU time of the calling thread per step (NaN off Linux). */
  cpuMsPerStep: number;
  /** The step's CPU critical path: the calling thread's CPU with its own shard replaced by the
   *  slowest shard when the step ran data-parallel (the wall time of a step on idle cores). */
  criticalCpuMsPerStep: number;
}

/** Training throughput of the real step (AdamW, clipping) on one fixed batch: tokens/s and ms/step. */
export function measureThroughput(o: ThroughputOptions): Throughput {
  const h = resolveHyper({ optim: "adamw", weight_decay: 0.01, max_grad_norm: 1 });
  const params = trainableVariables(o.model);
  const optimizer = createOptimizer(h);
  const frozenT = new Map<string, tf.Tensor2D>();
  const ctx: ForwardContext = { training: true, dropout: 0, seed: 1, trainable: new Set(params.map((p) => p.name)), frozenT, reference: o.reference };
  const batch = collateBatch(o.model, o.batch);
  const tokens = batch.kind === "lm" ? batch.b * batch.t : batch.b;
  try {
    for (let i = 0; i < (o.warmup ?? 2); i++) trainStep(o.model, params, optimizer, batch, ctx, h, 1e-4);
    const dp0 = dataParallelStats();
    const cpu0 = threadCpuMs();
    const t0 = performance.now();
    for (let i = 0; i < o.steps; i++) trainStep(o.model, params, optimizer, batch, ctx, h, 1e-4);
    const ms = (performance.now() - t0) / o.steps;
    const cpu = (threadCpuMs() - cpu0) / o.steps;
    const dp = dataParallelStats();
    const own = (dp.mainCpuMs - dp0.mainCpuMs) / o.steps;
    const worker = (dp.workerCpuMs - dp0.workerCpuMs) / o.steps;
    return { tokensPerSec: (tokens * 1000) / ms, msPerStep: ms, tokensPerStep: tokens, cpuMsPerStep: cpu, criticalCpuMsPerStep: cpu - own + Math.max(own, worker) };
  } finally {
    optimizer.dispose();
    frozenT.forEach((t) => t.dispose());
  }
}
