import { existsSync } from "node:fs";
import { join } from "node:path";
import { loadCheckpoint } from "../checkpoint/checkpoint-io";
import type { LoadedModel } from "../types";
import { listBaseModels, loadBaseModel } from "../zoo/base-models";

/** A zoo name (built and cached on first use) or a checkpoint directory (holding model.json). */
export async function resolveBaseModel(
  spec: string,
  opts: { cacheDir?: string; onProgress?: (step: number, total: number, loss: number) => void } = {},
): Promise<LoadedModel> {
  if (existsSync(join(spec, "model.json"))) return loadCheckpoint(spec);
  const names = listBaseModels().map((m) => m.name);
  if (!names.includes(spec)) {
    throw new Error(`base_model: expected a zoo model (${names.join(", ")}) or a checkpoint directory with model.json, got '${spec}'`);
  }
  return loadBaseModel(spec, opts);
}
