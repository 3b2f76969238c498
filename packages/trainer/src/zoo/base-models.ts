import type { LoadedModel, ModelConfig } from "../train/types";
export interface BaseModelSpec { name: string; config: ModelConfig; params: number; pretrainSteps: number; description: string }
export function listBaseModels(): BaseModelSpec[] {
  throw new Error("listBaseModels is not implemented yet");
}
/** Loads a zoo model from `cacheDir` or builds (pretrains) and caches it on first use. */
export async function loadBaseModel(name: string, opts: { cacheDir?: string; onProgress?: (step: number, total: number, loss: number) => void } = {}): Promise<LoadedModel> {
  throw new Error(`loadBaseModel(${name}, ${opts.cacheDir}) is not implemented yet`);
}
