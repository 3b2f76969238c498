import type { LoadedModel } from "./types";
/** Greedy decoding (temperature 0) until `maxNewTokens` or `stopToken`. */
export function generateTokens(model: LoadedModel, prompt: number[], maxNewTokens: number, stopToken?: number): number[] {
  throw new Error(`generateTokens(${model.name}, ${prompt.length}, ${maxNewTokens}, ${stopToken}) is not implemented yet`);
}
/** argmax class per feature row (MLP family). */
export function predictClasses(model: LoadedModel, features: number[][]): number[] {
  throw new Error(`predictClasses(${model.name}, ${features.length}) is not implemented yet`);
}
