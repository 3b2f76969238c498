import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { init } from "@finetrack/sdk";
import { saveCheckpoint } from "../checkpoint/checkpoint-io";
import { initBackend } from "../backend";
import type { TrainConfig } from "../config/train-config";
import { countParams, disposeModel } from "../models/create-model";
import { evaluateModel } from "../train/evaluate-model";
import { fineTuneModel } from "../train/fine-tune";
import type { EvalMetrics, FineTuneResult, LoadedModel, StepMetrics } from "../types";
import { encodeSplits, loadSplitRecords, type PreparedData } from "../prepare/prepare-data";
import { resolveBaseModel } from "../prepare/resolve-base-model";
import { hyperFromConfig, methodFromConfig } from "./trainer-options";
import { runCompression } from "../compress/run-compression";

import type { TrackingOptions } from "../prepare/tracking-options";
export type { TrackingOptions };

export interface RunTrainingOptions {
  tracking?: TrackingOptions;
  /** Where zoo models are cached (default `<cwd>/.finetrack/models`). */
  cacheDir?: string;
  parentRunId?: string;
  /** Merged into the logged config (e.g. the fold of a k-fold run). */
  extraConfig?: Record<string, unknown>;
  /** Pre-split data (k-fold); by default the config's dataset is loaded and split by its seed. */
  data?: PreparedData;
  /** An already loaded base model (not disposed here; fineTuneModel trains a copy). */
  base?: LoadedModel;
  /** Keep the trained model in the result (the caller disposes it). */
  keepModel?: boolean;
  onStatus?(message: string): void;
  onStep?(m: StepMetrics): void;
  onEval?(m: EvalMetrics): void;
  signal?: AbortSignal;
}

export interface RunTrainingResult {
  runId: string;
  summary: Record<string, number | string>;
  result: Omit<FineTuneResult, "model"> & { model?: LoadedModel };
  data: PreparedData;
}

/** config -> data -> fineTuneModel, everything logged through the SDK. Bad config or data throws before a
 *  run is created; once it exists, a failure finishes it as failed with the message. */
export async function runTraining(config: TrainConfig, opts: RunTrainingOptions = {}): Promise<RunTrainingResult> {
  const startMs = performance.now();
  const backend = await initBackend(config.backend);
  if (!opts.base) opts.onStatus?.(`loading base model '${config.base_model}' (backend ${backend})`);
  const base = opts.base ?? (await loadBase(config, opts));
  try {
    const data = opts.data ?? encodeSplits(config, base.config, loadSplitRecords(config));
    const params = countParams(base);
    const run = await init({
      ...opts.tracking,
      project: config.project,
      name: config.run_name ?? defaultRunName(config),
      group: config.group,
      tags: config.tags,
      notes: config.notes,
      seed: config.seed,
      config: { ...config, ...opts.extraConfig, model_config: { ...base.config }, base_model_pretraining: base.pretraining ?? null },
      baseModel: base.name,
      baseModelParams: params.total,
      dataset: data.info,
      method: config.finetuning_type,
      parentRunId: opts.parentRunId,
      system: { backend },
    });
    try {
      const result = await fineTuneModel({
        baseModel: base,
        method: methodFromConfig(config),
        train: data.train,
        validation: data.validation,
        hyper: { ...hyperFromConfig(config), augment: data.augment },
        cacheDir: opts.cacheDir,
        signal: opts.signal,
        onStep: opts.onStep,
        onEval: (m) => {
          const { step, epoch, ...values } = m;
          run.log(values, { step, epoch });
          opts.onEval?.(m);
        },
      });
      const test = data.test.length ? evaluateModel(result.model, data.test, config.per_device_eval_batch_size) : undefined;
      const summary: Record<string, number | string> = {
        best_val_loss: result.bestValLoss,
        best_step: result.bestStep,
        final_train_loss: result.finalTrainLoss,
        stop_reason: result.stopReason,
        steps: result.steps,
        trainable_params: result.trainableParams,
        total_params: result.totalParams,
        model_bytes: result.modelBytes,
        trainable_bytes: result.trainableBytes,
        train_wall_time_ms: Math.round(result.wallTimeMs),
        wall_time_ms: Math.round(performance.now() - startMs),
        ...(test ? { test_loss: test.loss, test_perplexity: test.perplexity, test_accuracy: test.accuracy } : {}),
      };
      const last = result.history[result.history.length - 1];
      if (last) summary.final_val_accuracy = last["val/accuracy"];
      if (config.output_dir) {
        // The checkpoint is the run's "model" artifact, so `finetrack compress --from <run id>` can find it.
        const dir = resolve(config.output_dir, run.id);
        result.model.metadata = { ...result.model.metadata, run_id: run.id, train_config: config };
        const saved = await saveCheckpoint(result.model, dir);
        run.artifact({ name: "final", kind: "model", uri: pathToFileURL(dir).href, bytes: saved.bytes });
        summary.checkpoint = dir;
      }
      await run.finish({ status: result.stopReason === "aborted" ? "killed" : "finished", summary });
      // Compression children follow the finished fine-tune (not per fold of a k-fold run).
      if (config.compress && !config.kfold && result.stopReason !== "aborted") {
        await runCompression({ model: result.model, section: config.compress, project: config.project, parentRunId: run.id, train: data.train, validation: data.validation, dataset: data.info, tags: config.tags, tracking: opts.tracking, cacheDir: opts.cacheDir, seed: config.seed, onStatus: opts.onStatus });
      }
      const { model, ...rest } = result;
      if (!opts.keepModel) disposeModel(model);
      return { runId: run.id, summary, result: opts.keepModel ? { ...rest, model } : rest, data };
    } catch (err) {
      await run.finish({ status: "failed", error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  } finally {
    if (!opts.base) disposeModel(base);
  }
}

export function loadBase(config: TrainConfig, opts: Pick<RunTrainingOptions, "cacheDir" | "onStatus">): Promise<LoadedModel> {
  return resolveBaseModel(config.base_model, {
    cacheDir: opts.cacheDir,
    onProgress: (step, total, loss) => opts.onStatus?.(`building base model '${config.base_model}': step ${step}/${total} loss ${loss.toFixed(3)}`),
  });
}

export function defaultRunName(c: TrainConfig): string {
  const dataset = c.dataset.split(/[\\/]/).pop()!.replace(/\.(jsonl|csv|json)$/i, "");
  const model = c.base_model.split(/[\\/]/).pop();
  return `${c.finetuning_type}-${model}-${dataset}-s${c.seed}`;
}
