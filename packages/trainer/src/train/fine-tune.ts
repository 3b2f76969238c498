import type { FineTuneOptions, FineTuneResult, LoadedModel } from "../types";
import { resolveHyper } from "./resolve-hyper";
import { validateExamples } from "./collate-batch";
import { trainLoop } from "./train-loop";
import { applyMethod } from "../peft/apply-method";
import { cloneModel, countParams } from "../models/create-model";
import { initBackend, backendName } from "../backend";

export { resolveHyper } from "./resolve-hyper";

/** Bytes to store the model: fp32 variables plus the quantized base at its packed size. */
export function modelBytes(model: LoadedModel): number {
  let bytes = 0;
  for (const v of model.weights.values()) bytes += v.size * 4;
  for (const v of model.extra.values()) bytes += v.size * 4;
  return bytes + (model.method?.quantizedBytes ?? 0);
}

/** Fine-tunes a copy of the base model with one PEFT method; the base model passed in is untouched.
 *  (A zoo model by name: fineTune in ../fine-tune.ts, which sits above the zoo.) */
export async function fineTuneModel(opts: FineTuneOptions & { baseModel: LoadedModel }): Promise<FineTuneResult> {
  await initBackend();
  const hyper = resolveHyper(opts.hyper);
  if (!opts.method || typeof opts.method !== "object") throw new Error("method: expected { finetuning_type, ... }");
  const model = cloneModel(opts.baseModel);
  if (model.method) throw new Error(`baseModel '${model.name}' already carries method '${model.method.config.finetuning_type}'; pass a base model`);
  validateExamples(model, opts.train, "train");
  validateExamples(model, opts.validation, "validation");
  applyMethod(model, opts.method, hyper.seed);
  const counts = countParams(model);
  const out = await trainLoop({ model, train: opts.train, validation: opts.validation, hyper, onEval: opts.onEval, onStep: opts.onStep, signal: opts.signal });
  return {
    model,
    bestValLoss: out.bestValLoss,
    bestStep: out.bestStep,
    finalTrainLoss: out.finalTrainLoss,
    stopReason: out.stopReason,
    trainableParams: counts.trainable,
    totalParams: counts.total,
    modelBytes: modelBytes(model),
    trainableBytes: counts.trainable * 4,
    wallTimeMs: out.wallTimeMs,
    steps: out.steps,
    history: out.history,
    backend: backendName(),
  };
}
