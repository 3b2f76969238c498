import type { LoadedModel, ModelConfig } from "../train/types";
/** A freshly initialised model (deterministic in `seed`). */
export function createModel(name: string, config: ModelConfig, seed = 0): LoadedModel {
  throw new Error(`createModel(${name}, ${config.family}, ${seed}) is not implemented yet`);
}
/** Parameter counts: total = base + extra; trainable = method's trainable variables (or all base). */
export function countParams(model: LoadedModel): { total: number; trainable: number; base: number } {
  throw new Error(`countParams(${model.name}) is not implemented yet`);
}
export function disposeModel(model: LoadedModel): void {
  throw new Error(`disposeModel(${model.name}) is not implemented yet`);
}
export function cloneModel(model: LoadedModel): LoadedModel {
  throw new Error(`cloneModel(${model.name}) is not implemented yet`);
}
