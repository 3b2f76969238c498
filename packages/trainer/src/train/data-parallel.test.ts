// The data-parallel step (batch split over worker threads, gradients summed through shared
// memory) takes the same steps as the one-thread step: the first steps' losses and the weights
// they leave agree within 1e-4, same seed, same batches, on shards of unequal loss weight.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { applyMethod, trainableVariables } from "../peft/apply-method";
import { createOptimizer } from "../optim/create-optimizer";
import { KERNEL_ROUTE_NAMES, setKernelRoutes, type KernelRoutes } from "../layers/kernel-routes";
import type { ClassifierExample, LmExample, LoadedModel, MethodConfig } from "../types";
import { collateBatch } from "./collate-batch";
import { resolveHyper } from "./resolve-hyper";
import { trainStep } from "./train-step";
import { configureDataParallel, dataParallelStats, stopDataParallel } from "./data-parallel";
import { traceDiff, type StepTrace } from "../../test/test-models";

beforeAll(async () => {
  await initBackend();
});
afterAll(async () => {
  await stopDataParallel();
});

const STEPS = 5;

/** Examples of unequal lengths (padding) and loss masks, so the shards' loss weights differ. */
function examples(n: number, t: number): LmExample[] {
  return Array.from({ length: n }, (_, i) => {
    const len = Math.max(3, t - ((i * 5) % t));
    const input = Array.from({ length: len }, (_, j) => (i * 31 + j * 7) % 250);
    return { input, target: input.map((x, j) => (x + j + 1) % 250), lossMask: input.map((_, j) => (j % (i % 3 + 1) === 0 ? 1 : 0)) };
  });
}

/** Classifier rows: 6 features, 3 classes. */
function rows(n: number): ClassifierExample[] {
  return Array.from({ length: n }, (_, i) => ({ features: Array.from({ length: 6 }, (_, j) => Math.sin(i * 1.3 + j)), label: i % 3 }));
}

interface Setup {
  threads: number;
  /** Speed routes besides dataParallel (the workers take the main thread's). */
  routes?: Partial<KernelRoutes>;
  /** An MLP classifier instead of the transformer. */
  mlp?: boolean;
  method?: MethodConfig;
  hyper?: Record<string, unknown>;
  batches?: number;
  /** Runs between steps (after step 2), e.g. to change a frozen weight. */
  between?(model: LoadedModel): void;
}

function firstSteps(dataParallel: boolean, o: Setup): StepTrace & { shards: number } {
  const routes = setKernelRoutes({ ...o.routes, dataParallel });
  const config = configureDataParallel({ threads: o.threads, minTokensPerShard: 16, busyLoadAverage: Infinity });
  const model = o.mlp
    ? createModel("dp-mlp", { family: "mlp", inputDim: 6, hidden: [16], numClasses: 3 }, 5)
    : createModel("dp", transformerConfig({ vocabSize: 259, contextLength: 24, layers: 2, width: 32, heads: 4 }), 5);
  const before = dataParallelStats().shards;
  try {
    applyMethod(model, o.method ?? { finetuning_type: "full" }, 2);
    const h = resolveHyper({ optim: "adamw", weight_decay: 0.01, max_grad_norm: 1, ...o.hyper });
    const params = trainableVariables(model);
    const optimizer = createOptimizer(h);
    const ctx = { training: true, dropout: h.dropout, seed: 1, trainable: new Set(params.map((p) => p.name)), frozenT: new Map<string, tf.Tensor2D>() };
    const batches = Array.from({ length: o.batches ?? 2 }, (_, k) => collateBatch(model, o.mlp ? rows(37 + k) : examples(7 + k, 24)));
    const losses: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      if (s === 2) o.between?.(model);
      ctx.seed = 100 + s;
      losses.push(trainStep(model, params, optimizer, batches[s % batches.length], ctx, h, 3e-3).loss);
    }
    optimizer.dispose();
    ctx.frozenT.forEach((t) => t.dispose());
    return { losses, weights: [...model.weights.values(), ...model.extra.values()].map((v) => (v.dataSync() as Float32Array).slice()), shards: dataParallelStats().shards - before };
  } finally {
    disposeModel(model);
    setKernelRoutes(routes);
    configureDataParallel(config);
  }
}

function expectClose(got: StepTrace, want: StepTrace) {
  const diff = traceDiff(got, want);
  expect(diff.loss).toBeLessThan(1e-4);
  expect(diff.weight).toBeLessThan(1e-4);
}

describe("data-parallel step", () => {
  it("2 threads take the same steps as 1 (losses and final weights within 1e-4), and the losses move", () => {
    const one = firstSteps(false, { threads: 2 });
    const two = firstSteps(true, { threads: 2 });
    expect(one.shards).toBe(0);
    expect(two.shards).toBe(2 * STEPS); // every step was split, the route was not a no-op
    expect(one.losses.at(-1)!).toBeLessThan(one.losses[0] - 0.05);
    expectClose(two, one);
  });

  // L2 only: an L1 term drives small weights to oscillate around 0 under Adam, where any float
  // difference flips a sign; that is not what this compares.
  it("with every speed route on (the WASM kernels load and run in the workers too)", () => {
    const routes = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, true]));
    const two = firstSteps(true, { threads: 2, routes });
    expect(two.shards).toBe(2 * STEPS);
    expectClose(two, firstSteps(false, { threads: 2, routes }));
  });

  it("3 threads (2 workers), the L2 penalty counted once", () => {
    const hyper = { l2: 0.05 };
    const three = firstSteps(true, { threads: 3, hyper });
    expect(three.shards).toBe(3 * STEPS);
    expectClose(three, firstSteps(false, { threads: 1, hyper }));
  });

  it("an MLP classifier's rows split the same way", () => {
    const two = firstSteps(true, { threads: 2, mlp: true });
    expect(two.shards).toBe(2 * STEPS);
    expectClose(two, firstSteps(false, { threads: 2, mlp: true }));
  });

  it("LoRA: frozen base weights stay in the workers; a changed frozen weight is sent again", () => {
    const method: MethodConfig = { finetuning_type: "lora", lora_rank: 4 };
    const bump = (m: LoadedModel) => {
      const w = m.weights.get("blocks.0.attn.q.weight")!;
      w.assign(tf.tidy(() => tf.mul(w, 1.5)));
    };
    expectClose(firstSteps(true, { threads: 2, method, between: bump }), firstSteps(false, { threads: 2, method, between: bump }));
  });

  it("QLoRA: the quantized base crosses to the workers", () => {
    const method: MethodConfig = { finetuning_type: "qlora", lora_rank: 4, quantization_bit: 4 };
    const two = firstSteps(true, { threads: 2, method });
    expect(two.shards).toBe(2 * STEPS);
    expectClose(two, firstSteps(false, { threads: 2, method }));
  });

  it("dropout stays deterministic: the same seed gives the same steps", () => {
    const hyper = { dropout: 0.2 };
    const a = firstSteps(true, { threads: 2, hyper });
    const b = firstSteps(true, { threads: 2, hyper });
    expect(a.losses).toEqual(b.losses);
    expect(a.weights).toEqual(b.weights);
  });

  it("a batch too small to split stays on one thread", () => {
    const before = dataParallelStats().steps;
    const routes = setKernelRoutes({ dataParallel: true });
    const model = createModel("dp-small", transformerConfig({ vocabSize: 259, contextLength: 8, layers: 1, width: 16, heads: 2 }), 1);
    try {
      applyMethod(model, { finetuning_type: "full" });
      const params = trainableVariables(model);
      const h = resolveHyper({});
      const ctx = { training: true, dropout: 0, seed: 1, trainable: new Set(params.map((p) => p.name)) };
      const { loss } = trainStep(model, params, createOptimizer(h), collateBatch(model, examples(4, 8)), ctx, h, 1e-3);
      expect(Number.isFinite(loss)).toBe(true);
      expect(dataParallelStats().steps).toBe(before);
    } finally {
      disposeModel(model);
      setKernelRoutes(routes);
    }
  });
});
