import * as tf from "@tensorflow/tfjs-core";
import type { Example, LoadedModel } from "../types";
import { collateBatch } from "./collate-batch";
import { trainStep } from "./train-step";
import { trainableVariables } from "../peft/apply-method";
import { createOptimizer } from "../optim/create-optimizer";
import { resolveHyper } from "./resolve-hyper";
import type { ForwardContext } from "../models/forward";

export interface ThroughputOptions {
  /** A model with its method already applied (or none = full). */
  model: LoadedModel;
  batch: Example[];
  steps: number;
  warmup?: number;
  /** Measure tf's autodiff layers instead of the custom-gradient ones. */
  reference?: boolean;
}

/** Training throughput of the real step (AdamW, clipping) on one fixed batch: tokens/s and ms/step. */
export function measureThroughput(o: ThroughputOptions): { tokensPerSec: number; msPerStep: number; tokensPerStep: number } {
  const h = resolveHyper({ optim: "adamw", weight_decay: 0.01, max_grad_norm: 1 });
  const params = trainableVariables(o.model);
  const optimizer = createOptimizer(h);
  const frozenT = new Map<string, tf.Tensor2D>();
  const ctx: ForwardContext = { training: true, dropout: 0, seed: 1, trainable: new Set(params.map((p) => p.name)), frozenT, reference: o.reference };
  const batch = collateBatch(o.model, o.batch);
  const tokens = batch.kind === "lm" ? batch.b * batch.t : batch.b;
  try {
    for (let i = 0; i < (o.warmup ?? 2); i++) trainStep(o.model, params, optimizer, batch, ctx, h, 1e-4);
    const t0 = performance.now();
    for (let i = 0; i < o.steps; i++) trainStep(o.model, params, optimizer, batch, ctx, h, 1e-4);
    const ms = (performance.now() - t0) / o.steps;
    return { tokensPerSec: (tokens * 1000) / ms, msPerStep: ms, tokensPerStep: tokens };
  } finally {
    optimizer.dispose();
    frozenT.forEach((t) => t.dispose());
  }
}
