import type { LoadedModel, TransformerConfig, PretrainRecord } from "../train/types";
export interface PretrainOptions {
  name: string;
  config: TransformerConfig;
  corpus: string;
  corpusName?: string;
  steps: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  onStep?(m: { step: number; loss: number; lr: number; tokens_per_sec: number; total_steps: number }): void;
  signal?: AbortSignal;
}
export interface PretrainResult { model: LoadedModel; record: PretrainRecord; losses: number[] }
export async function pretrain(opts: PretrainOptions): Promise<PretrainResult> {
  throw new Error(`pretrain(${opts.name}) is not implemented yet`);
}
