import type { LoadedModel } from "../train/types";
/** Writes `dir/model.json` (config, metadata, pretraining, method, weight manifest) and `dir/weights.bin`. */
export async function saveCheckpoint(model: LoadedModel, dir: string): Promise<{ bytes: number }> {
  throw new Error(`saveCheckpoint(${model.name}, ${dir}) is not implemented yet`);
}
export async function loadCheckpoint(dir: string): Promise<LoadedModel> {
  throw new Error(`loadCheckpoint(${dir}) is not implemented yet`);
}
