import type { FineTuneOptions, FineTuneResult, HyperParams } from "./types";
export function resolveHyper(h: Partial<HyperParams>): HyperParams {
  throw new Error(`resolveHyper(${Object.keys(h)}) is not implemented yet`);
}
export async function fineTune(opts: FineTuneOptions): Promise<FineTuneResult> {
  throw new Error(`fineTune(${opts.method.finetuning_type}) is not implemented yet`);
}
