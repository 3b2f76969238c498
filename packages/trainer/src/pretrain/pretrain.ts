// Causal-LM pretraining of a fresh transformer on a text corpus, through the same training loop
// as fine-tuning (full parameters, AdamW, cosine schedule).
import type { LoadedModel, PretrainRecord, TransformerConfig, EvalMetrics } from "../types";
import type { LmExample } from "../types";
import { createModel } from "../models/create-model";
import { createRng } from "../models/rng";
import { encodeText } from "../tokenizer/byte-tokenizer";
import { trainLoop } from "../train/train-loop";
import { resolveHyper } from "../train/resolve-hyper";
import { initBackend, backendName } from "../backend";

export interface PretrainOptions {
  name: string;
  config: TransformerConfig;
  corpus: string;
  corpusName?: string;
  steps: number;
  batchSize?: number;
  /** Tokens per training window (default: the model's context length). */
  seqLength?: number;
  learningRate?: number;
  seed?: number;
  /** Evaluate on held-out windows every N steps (default steps/5). */
  evalSteps?: number;
  onStep?(m: { step: number; loss: number; lr: number; tokens_per_sec: number; total_steps: number }): void;
  onEval?(m: EvalMetrics): void;
  signal?: AbortSignal;
}
export interface PretrainResult {
  model: LoadedModel;
  record: PretrainRecord;
  losses: number[];
  history: EvalMetrics[];
}

function windows(tokens: number[], count: number, len: number, rng: () => number): LmExample[] {
  const out: LmExample[] = [];
  for (let i = 0; i < count; i++) {
    const start = Math.floor(rng() * (tokens.length - len - 1));
    const chunk = tokens.slice(start, start + len + 1);
    out.push({ input: chunk.slice(0, -1), target: chunk.slice(1) });
  }
  return out;
}

/** Pre-trains a fresh model; the last 5% of the corpus is held out for validation. */
export async function pretrain(opts: PretrainOptions): Promise<PretrainResult> {
  await initBackend();
  const seed = opts.seed ?? 0;
  const batchSize = opts.batchSize ?? 16;
  const lr = opts.learningRate ?? 3e-3;
  if (!Number.isInteger(opts.steps) || opts.steps < 1) throw new Error(`pretrain: 'steps' must be a positive integer, got ${opts.steps}`);
  const len = Math.min(opts.seqLength ?? opts.config.contextLength, opts.config.contextLength);
  const tokens = encodeText(opts.corpus);
  const split = Math.floor(tokens.length * 0.95);
  if (split - len - 1 < 1 || tokens.length - split - len - 1 < 1) {
    throw new Error(`pretrain: corpus of ${tokens.length} bytes is too short for windows of ${len} tokens (need > ${Math.ceil((len + 2) / 0.05)})`);
  }
  const model = createModel(opts.name, opts.config, seed);
  const rng = createRng(seed + 1);
  const train = windows(tokens.slice(0, split), opts.steps * batchSize, len, rng);
  const validation = windows(tokens.slice(split), Math.max(8, batchSize * 2), len, rng);
  const hyper = resolveHyper({
    learning_rate: lr,
    optim: "adamw",
    weight_decay: 0.01,
    lr_scheduler_type: "cosine",
    warmup_ratio: 0.05,
    max_grad_norm: 1,
    per_device_train_batch_size: batchSize,
    max_steps: opts.steps,
    eval_steps: opts.evalSteps ?? Math.max(1, Math.floor(opts.steps / 5)),
    restore_best: false,
    seed,
  });
  const out = await trainLoop({
    model,
    train,
    validation,
    hyper,
    onStep: opts.onStep ? (m) => opts.onStep!({ step: m.step, loss: m.loss, lr: m.lr, tokens_per_sec: m.tokens_per_sec, total_steps: m.total_steps }) : undefined,
    onEval: opts.onEval,
    signal: opts.signal,
  });
  const record: PretrainRecord = {
    corpus: opts.corpusName ?? "custom",
    corpusChars: opts.corpus.length,
    steps: out.steps,
    batchSize,
    learningRate: lr,
    finalLoss: out.history.at(-1)?.["val/loss"] ?? out.finalTrainLoss,
    tokensSeen: out.steps * batchSize * len,
    seed,
    wallTimeMs: Math.round(out.wallTimeMs),
    backend: backendName(),
  };
  model.pretraining = record;
  return { model, record, losses: out.losses, history: out.history };
}
