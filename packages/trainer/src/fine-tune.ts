// The public fine-tuning entry point: a zoo model named by string is built or loaded first (the
// zoo pretrains with train/'s loop, so this sits above both), then train/fine-tune runs on it.
import type { FineTuneOptions, FineTuneResult } from "./types";
import { fineTuneModel } from "./train/fine-tune";
import { disposeModel } from "./models/create-model";
import { loadBaseModel } from "./zoo/base-models";

/** Fine-tunes a copy of `opts.baseModel` (a loaded model, or a zoo name) with one PEFT method. */
export async function fineTune(opts: FineTuneOptions): Promise<FineTuneResult> {
  if (typeof opts.baseModel !== "string") return fineTuneModel({ ...opts, baseModel: opts.baseModel });
  const base = await loadBaseModel(opts.baseModel, { cacheDir: opts.cacheDir });
  try {
    return await fineTuneModel({ ...opts, baseModel: base });
  } finally {
    disposeModel(base);
  }
}
