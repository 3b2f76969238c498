import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { init } from "@finetrack/sdk";
import { initBackend, type BackendName } from "../backend";
import { saveCheckpoint } from "../checkpoint/checkpoint-io";
import { countParams, disposeModel, transformerConfig } from "../models/create-model";
import { pretrain } from "../pretrain/pretrain";
import { BYTE_VOCAB_SIZE } from "../tokenizer/byte-tokenizer";
import type { PretrainRecord } from "../types";
import { generateCorpus } from "../zoo/corpus";
import type { TrackingOptions } from "./run-training";

export interface RunPretrainingOptions {
  project: string;
  /** Model name (also the run name and the checkpoint folder name). */
  name: string;
  layers: number;
  width: number;
  heads: number;
  contextLength: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  corpusChars: number;
  /** The checkpoint goes to `<outDir>/<name>`. */
  outDir: string;
  group?: string;
  tags?: string[];
  backend?: BackendName;
  tracking?: TrackingOptions;
  onStep?(m: { step: number; loss: number; total_steps: number }): void;
  signal?: AbortSignal;
}

/** Pre-trains a base model on the generated corpus with the causal LM loss, saves the checkpoint
 *  and logs the whole run (loss curve, corpus hash, record of the pretraining) through the SDK. */
export async function runPretraining(o: RunPretrainingOptions): Promise<{ runId: string; checkpointDir: string; record: PretrainRecord; bytes: number }> {
  const backend = await initBackend(o.backend);
  const config = transformerConfig({ vocabSize: BYTE_VOCAB_SIZE, contextLength: o.contextLength, layers: o.layers, width: o.width, heads: o.heads });
  const corpus = generateCorpus(o.seed, o.corpusChars);
  const corpusName = `corpus-s${o.seed}`;
  const run = await init({
    ...o.tracking,
    project: o.project,
    name: `pretrain-${o.name}`,
    group: o.group,
    tags: [...(o.tags ?? []), "pretrain"],
    seed: o.seed,
    method: "pretrain",
    baseModel: o.name,
    config: { ...o, tracking: undefined, onStep: undefined, signal: undefined, model_config: config },
    dataset: { name: corpusName, contentHash: createHash("sha256").update(corpus).digest("hex"), trainSize: corpus.length, source: "generateCorpus", description: "generated general corpus (characters)" },
    system: { backend },
  });
  try {
    const res = await pretrain({
      name: o.name,
      config,
      corpus,
      corpusName,
      steps: o.steps,
      batchSize: o.batchSize,
      learningRate: o.learningRate,
      seed: o.seed,
      signal: o.signal,
      onStep: (m) => {
        run.log({ "train/loss": m.loss, lr: m.lr, tokens_per_sec: m.tokens_per_sec }, { step: m.step });
        o.onStep?.(m);
      },
      // train/loss is already logged per step; a second value at the same step would conflict.
      onEval: (m) => run.log({ "val/loss": m["val/loss"], "val/perplexity": m["val/perplexity"], "val/accuracy": m["val/accuracy"] }, { step: m.step }),
    });
    try {
      const checkpointDir = resolve(o.outDir, o.name);
      const { bytes } = await saveCheckpoint(res.model, checkpointDir);
      const params = countParams(res.model).total;
      run.artifact({ name: o.name, kind: "model", uri: `file://${checkpointDir}`, bytes, metadata: { params } });
      const best = res.history.reduce((a, h) => (h["val/loss"] < a ? h["val/loss"] : a), Infinity);
      const summary = { final_train_loss: res.record.finalLoss, ...(Number.isFinite(best) ? { best_val_loss: best } : {}), steps: res.record.steps, tokens_seen: res.record.tokensSeen, total_params: params, model_bytes: bytes, wall_time_ms: Math.round(res.record.wallTimeMs) };
      await run.finish({ status: o.signal?.aborted ? "killed" : "finished", summary });
      return { runId: run.id, checkpointDir, record: res.record, bytes };
    } finally {
      disposeModel(res.model);
    }
  } catch (err) {
    await run.finish({ status: "failed", error: err instanceof Error ? err.message : String(err) });
    throw err;
  }
}
