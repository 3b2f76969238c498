// The distillation student when a config names none: the teacher's own architecture at half the
// width and half the layers (about a quarter of the parameters), freshly initialised, so the
// default step compresses instead of copying the teacher's size (a zoo name as student, such as
// `tiny` for a `tiny` fine-tune, is ratio 1).
import type { LoadedModel, ModelConfig } from "../types";
import { createModel } from "../models/create-model";

/** Half-size config of `c`: width (rounded down to a multiple of heads, at least `heads`) and
 *  layers halved for transformers; every hidden layer halved for MLPs. */
export function halfSizeConfig(c: ModelConfig): ModelConfig {
  if (c.family === "mlp") return { ...c, hidden: c.hidden.map((h) => Math.max(1, Math.floor(h / 2))) };
  const width = Math.max(c.heads, Math.floor(c.width / 2 / c.heads) * c.heads);
  return { ...c, width, ffnWidth: Math.max(1, Math.round((c.ffnWidth * width) / c.width)), layers: Math.max(1, Math.floor(c.layers / 2)) };
}

export function defaultStudent(teacher: LoadedModel, seed: number): LoadedModel {
  return createModel(`${teacher.name}-half`, halfSizeConfig(teacher.config), seed);
}
