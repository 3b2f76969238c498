import type { LoadedModel, MethodConfig } from "../train/types";
/** Wraps `model` with the PEFT method in place (adds `extra` variables, sets `method`). */
export function applyMethod(model: LoadedModel, method: MethodConfig, seed = 0): LoadedModel {
  throw new Error(`applyMethod(${model.name}, ${method.finetuning_type}, ${seed}) is not implemented yet`);
}
/** W0 += scale·B·A for every LoRA layer (export); unmergeLora undoes it. */
export function mergeLora(model: LoadedModel): void {
  throw new Error(`mergeLora(${model.name}) is not implemented yet`);
}
export function unmergeLora(model: LoadedModel): void {
  throw new Error(`unmergeLora(${model.name}) is not implemented yet`);
}
