import type { EvalResult, Example, LoadedModel } from "./types";
/** Masked loss, perplexity and token accuracy (LM) or accuracy (MLP) over `examples`. */
export function evaluateModel(model: LoadedModel, examples: Example[], batchSize = 32): EvalResult {
  throw new Error(`evaluateModel(${model.name}, ${examples.length}, ${batchSize}) is not implemented yet`);
}
