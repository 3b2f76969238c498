// Same numerics with the speed routes on: the first training steps' losses (and the weights they
// leave) match the routes-off step, and tf's own autodiff layers, within float32 tolerance.
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs-core";
import { initBackend } from "../backend";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { applyMethod, trainableVariables } from "../peft/apply-method";
import { createOptimizer } from "../optim/create-optimizer";
import { KERNEL_ROUTE_NAMES, setKernelRoutes, type KernelRoutes } from "../layers/kernel-routes";
import { collateBatch } from "./collate-batch";
import { resolveHyper } from "./resolve-hyper";
import { trainStep } from "./train-step";
import { arithmeticExamples, traceDiff, type StepTrace } from "../../test/test-models";

beforeAll(async () => {
  await initBackend();
});

const STEPS = 6;

/** Losses of the first STEPS AdamW steps (lr 3e-3, clipping 1) of a fresh seeded model, and its final weights. */
function firstSteps(routes: Partial<KernelRoutes>, reference = false): { losses: number[]; weights: Float32Array[] } {
  const before = setKernelRoutes(routes);
  // hd = 8: a multiple of 4, so the WASM attention kernel takes it when its route is on.
  const model = createModel("numerics", transformerConfig({ vocabSize: 259, contextLength: 16, layers: 2, width: 32, heads: 4 }), 3);
  try {
    applyMethod(model, { finetuning_type: "full" });
    const h = resolveHyper({ optim: "adamw", weight_decay: 0.01, max_grad_norm: 1 });
    const params = trainableVariables(model);
    const optimizer = createOptimizer(h);
    const ctx = { training: true, dropout: 0, seed: 1, trainable: new Set(params.map((p) => p.name)), frozenT: new Map<string, tf.Tensor2D>(), reference };
    const batch = collateBatch(model, arithmeticExamples(8));
    const losses = Array.from({ length: STEPS }, () => trainStep(model, params, optimizer, batch, ctx, h, 3e-3).loss);
    return { losses, weights: params.map((p) => (p.variable.dataSync() as Float32Array).slice()) };
  } finally {
    disposeModel(model);
    setKernelRoutes(before);
  }
}

const allOff = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, false]));
const allOn = Object.fromEntries(KERNEL_ROUTE_NAMES.map((n) => [n, true]));

function expectClose(got: StepTrace, want: StepTrace) {
  const diff = traceDiff(got, want);
  expect(diff.loss).toBeLessThan(1e-4);
  expect(diff.weight).toBeLessThan(1e-4);
}

describe("speed routes keep the numerics", () => {
  it("the losses actually move over the first steps (so equal losses mean something)", () => {
    const { losses } = firstSteps(allOn);
    expect(losses.at(-1)!).toBeLessThan(losses[0] - 0.05);
  });

  it("all routes on matches all routes off, step by step", () => {
    expectClose(firstSteps(allOn), firstSteps(allOff));
  });

  it.each(KERNEL_ROUTE_NAMES)("%s alone matches all routes off", (name) => {
    expectClose(firstSteps({ ...allOff, [name]: true }), firstSteps(allOff));
  });

  it("all routes on matches tf's autodiff layers", () => {
    expectClose(firstSteps(allOn), firstSteps(allOn, true));
  });
});
