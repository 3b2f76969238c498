// Runs the compression steps of a config on a fine-tuned model in memory and logs each result as a
// child run of the fine-tune. Used by `finetrack compress` and after a fine-tune whose config has a
// `compress:` section.
import type { Example, HyperParams, LoadedModel } from "../types";
import type { TrackingOptions } from "../prepare/tracking-options";
import type { DatasetInfo } from "../prepare/prepare-data";
import { resolveBaseModel } from "../prepare/resolve-base-model";
import { backendName } from "../backend";
import { disposeModel } from "../models/create-model";
import { defaultStudent } from "./default-student";
import type { CompressSection, CompressStep, CompressTrainSettings } from "../config/compress-config";
import type { CompressionOutcome } from "./compression-outcome";
import { runPtq } from "./run-ptq";
import { runQat } from "./run-qat";
import { runPruning } from "./run-pruning";
import { runDistillation } from "./run-distillation";
import { logOutcome, type LoggedOutcome } from "./log-outcome";

export interface RunCompressionOptions {
  /** The fine-tuned model (not modified). */
  model: LoadedModel;
  section: CompressSection;
  project: string;
  parentRunId?: string;
  /** Identifies the fine-tune to a distilled student's run (run id, checkpoint). */
  teacherRef?: Record<string, string>;
  train: Example[];
  validation: Example[];
  dataset?: DatasetInfo;
  tags?: string[];
  tracking?: TrackingOptions;
  /** Where zoo models (distillation students) are cached. */
  cacheDir?: string;
  /** Seed of the recovery / QAT / distillation training when a step sets none. */
  seed?: number;
  /** Loads a distillation student (default: zoo name or checkpoint directory). */
  loadStudent?(spec: string): Promise<LoadedModel>;
  onStatus?(message: string): void;
}

export interface CompressionRunResult extends LoggedOutcome {
  technique: CompressionOutcome["technique"];
  label: string;
}

function hyperOf(t: CompressTrainSettings, seed: number | undefined): Partial<HyperParams> {
  const h: Partial<HyperParams> = { seed, ...Object.fromEntries(Object.entries(t).filter(([, v]) => v !== undefined)) };
  return h;
}

async function runStep(step: CompressStep, o: RunCompressionOptions): Promise<CompressionOutcome> {
  const common = { train: o.train, validation: o.validation };
  switch (step.method) {
    case "ptq": {
      const calibration = o.train.slice(0, o.section.calibration_size);
      const activations = step.activations && { bits: step.activations.bits, scheme: step.activations.scheme, method: step.activations.calibration, percentile: step.activations.percentile };
      return runPtq(o.model, { weights: step.weights, embeddings: step.embeddings, activations, sensitivity: step.sensitivity, validation: o.validation, calibration });
    }
    case "qat":
      return runQat(o.model, { ...common, weights: step.weights, embeddings: step.embeddings, hyper: hyperOf(step.train, o.seed), compareWithPtq: step.compare_with_ptq });
    case "prune":
      return runPruning(o.model, { ...common, granularity: step.granularity, mode: step.mode, sparsity: step.sparsity, schedule: step.schedule, recovery_steps: step.recovery_steps, hyper: hyperOf(step.train, o.seed) });
    case "distill": {
      const student =
        step.student === undefined
          ? defaultStudent(o.model, o.seed ?? 0)
          : await (o.loadStudent ?? ((s) => resolveBaseModel(s, { cacheDir: o.cacheDir })))(step.student);
      try {
        return await runDistillation(o.model, student, { ...common, temperature: step.temperature, alpha: step.alpha, hyper: hyperOf(step.train, o.seed), compareWithoutTeacher: step.compare_without_teacher, teacherRef: o.teacherRef ?? (o.parentRunId ? { run_id: o.parentRunId } : undefined) });
      } finally {
        disposeModel(student);
      }
    }
  }
}

/** Every step in order; each result is logged (and its checkpoint saved) before the next starts. */
export async function runCompression(o: RunCompressionOptions): Promise<CompressionRunResult[]> {
  const results: CompressionRunResult[] = [];
  for (const [i, step] of o.section.steps.entries()) {
    o.onStatus?.(`compress step ${i + 1}/${o.section.steps.length}: ${step.method}`);
    const startMs = performance.now();
    const outcome = await runStep(step, o);
    // The child run is created once its work is done: its summary carries how long that work took.
    outcome.summary = { ...outcome.summary, wall_time_ms: Math.round(performance.now() - startMs) };
    try {
      const logged = await logOutcome(outcome, {
        project: o.project,
        parentRunId: o.parentRunId,
        name: step.name,
        tags: o.tags,
        stepConfig: step as unknown as Record<string, unknown>,
        dataset: o.dataset,
        parentModelName: o.model.name,
        backend: backendName(),
        tracking: o.tracking,
        checkpointRoot: o.section.save_checkpoints ? o.section.output_dir : undefined,
      });
      results.push({ ...logged, technique: outcome.technique, label: outcome.label });
    } finally {
      disposeModel(outcome.model);
    }
  }
  return results;
}
