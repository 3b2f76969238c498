// Configuration of compression steps. `CompressSection` is what a training config may carry under
// `compress:` (so the steps follow the fine-tune); `CompressConfig` is a standalone compress.yaml
// for `finetrack compress --from <run id | checkpoint>`, with optional data keys that default to
// the fine-tune's own.
import { z } from "zod";
import { ConfigError, describeIssues } from "./config-error";
import { applyOverrides, readYamlFile } from "./load-config";
import { isDatasetPath } from "../data/load-dataset";
import { dirname, isAbsolute, resolve } from "node:path";

/** Gradual pruning schedule (compress/sparsity-schedule.ts computes it). */
export const PruningSchedule = z.strictObject({
  initial_sparsity: z.number().min(0).lt(1).default(0),
  final_sparsity: z.number().min(0).lt(1),
  begin_step: z.number().int().min(0).default(0),
  end_step: z.number().int().positive(),
  frequency: z.number().int().positive().default(10),
});
export type PruningSchedule = z.infer<typeof PruningSchedule>;

const positiveInt = z.number().int().positive();

/** Optimization settings of the short training a step runs (recovery, QAT, distillation). */
export const CompressTrainSettings = z.strictObject({
  max_steps: positiveInt.default(100),
  learning_rate: z.number().positive().default(1e-3),
  eval_steps: z.number().int().min(0).default(10),
  per_device_train_batch_size: positiveInt.optional(),
  per_device_eval_batch_size: positiveInt.optional(),
  optim: z.enum(["adamw", "adam", "sgd"]).optional(),
  lr_scheduler_type: z.enum(["constant", "linear", "cosine"]).optional(),
  warmup_ratio: z.number().min(0).lt(1).optional(),
  weight_decay: z.number().min(0).optional(),
  max_grad_norm: z.number().min(0).optional(),
  seed: z.number().int().min(0).optional(),
});
export type CompressTrainSettings = z.infer<typeof CompressTrainSettings>;

const AffineWeights = z.strictObject({
  format: z.literal("affine"),
  bits: z.union([z.literal(4), z.literal(8)]),
  scheme: z.enum(["symmetric", "asymmetric"]).default("symmetric"),
  granularity: z.enum(["tensor", "channel"]).default("channel"),
});
const Nf4Weights = z.strictObject({ format: z.literal("nf4"), double_quant: z.boolean().default(false) });
/** `format` may be left out for affine weights: `{ bits: 8 }` means int8 symmetric per channel. */
const withFormat = (v: unknown) => (v && typeof v === "object" && !("format" in v) ? { format: "affine", ...v } : v);
export const WeightsConfig = z.preprocess(withFormat, z.discriminatedUnion("format", [AffineWeights, Nf4Weights]));
export type WeightsConfig = z.infer<typeof WeightsConfig>;

export const ActivationsConfig = z.strictObject({
  bits: z.literal(8).default(8),
  scheme: z.enum(["symmetric", "asymmetric"]).default("asymmetric"),
  calibration: z.enum(["minmax", "percentile"]).default("minmax"),
  percentile: z.number().gt(50).max(100).default(99.99),
});

const name = z.string().min(1).optional();

export const PtqStep = z.strictObject({
  method: z.literal("ptq"),
  name,
  weights: WeightsConfig,
  /** Also quantize the token / position embedding tables (one scale per row when per channel). */
  embeddings: z.boolean().default(false),
  activations: ActivationsConfig.optional(),
  /** Validation loss with each layer quantized alone (one evaluation per linear layer). */
  sensitivity: z.boolean().default(true),
});

export const QatStep = z.strictObject({
  method: z.literal("qat"),
  name,
  weights: z.preprocess(withFormat, AffineWeights),
  embeddings: z.boolean().default(false),
  train: CompressTrainSettings.default({ max_steps: 100, learning_rate: 1e-3, eval_steps: 10 }),
  compare_with_ptq: z.boolean().default(true),
});

export const PruneStep = z.strictObject({
  method: z.literal("prune"),
  name,
  granularity: z.enum(["unstructured", "neurons", "heads"]).default("unstructured"),
  mode: z.enum(["one_shot", "gradual"]).default("one_shot"),
  /** one_shot: the target sparsity (of weights, or of neurons / heads). */
  sparsity: z.number().min(0).lt(1).optional(),
  schedule: PruningSchedule.optional(),
  recovery_steps: z.number().int().min(0).default(50),
  train: CompressTrainSettings.default({ max_steps: 100, learning_rate: 1e-3, eval_steps: 10 }),
});

export const DistillStep = z.strictObject({
  method: z.literal("distill"),
  name,
  /** The smaller base model: a zoo name or a checkpoint directory. Omitted: the teacher's
   *  architecture at half width and half the layers, freshly initialised (compress/default-student.ts). */
  student: z.string().min(1).optional(),
  temperature: z.number().positive().default(2),
  alpha: z.number().min(0).max(1).default(0.5),
  train: CompressTrainSettings.default({ max_steps: 100, learning_rate: 1e-3, eval_steps: 10 }),
  compare_without_teacher: z.boolean().default(true),
});

export const CompressStep = z.discriminatedUnion("method", [PtqStep, QatStep, PruneStep, DistillStep]);
export type CompressStep = z.infer<typeof CompressStep>;

/** The `compress:` section of a training config. */
export const CompressSection = z.strictObject({
  steps: z.array(CompressStep).min(1),
  /** Calibration examples for activation ranges, taken from the train split. */
  calibration_size: positiveInt.default(128),
  /** Where compressed checkpoints go (one folder per step, named by child run id). */
  output_dir: z.string().min(1).default(".finetrack/compressed"),
  save_checkpoints: z.boolean().default(true),
});
export type CompressSection = z.infer<typeof CompressSection>;

/** A standalone compress.yaml. Data keys left out are taken from the fine-tune's config. */
export const CompressConfig = CompressSection.extend({
  project: z.string().min(1).optional(),
  /** The fine-tune: a run id or a checkpoint directory (`--from` overrides). */
  from: z.string().min(1).optional(),
  /** The fine-tune's run id when `from` is a checkpoint (children are logged under it). */
  parent_run_id: z.string().min(1).optional(),
  backend: z.enum(["tensorflow", "wasm", "cpu"]).optional(),
  tags: z.array(z.string()).default([]),
  dataset: z.string().min(1).optional(),
  template: z.string().optional(),
  val_size: z.number().positive().optional(),
  test_size: z.number().min(0).optional(),
  max_samples: positiveInt.optional(),
  cutoff_len: positiveInt.optional(),
  seed: z.number().int().min(0).optional(),
});
export type CompressConfig = z.infer<typeof CompressConfig>;

/** Checks step fields that depend on each other (zod checks each alone). */
function crossCheck(steps: CompressStep[]): string[] {
  const issues: string[] = [];
  steps.forEach((s, i) => {
    if (s.method !== "prune") return;
    if (s.mode === "one_shot" && s.sparsity === undefined) issues.push(`steps.${i}.sparsity: one_shot pruning needs a target sparsity in [0, 1)`);
    if (s.mode === "gradual" && !s.schedule) issues.push(`steps.${i}.schedule: gradual pruning needs { final_sparsity, end_step, begin_step?, frequency?, initial_sparsity? }`);
    if (s.schedule && s.schedule.end_step <= s.schedule.begin_step) issues.push(`steps.${i}.schedule.end_step: expected > begin_step (${s.schedule.begin_step}), got ${s.schedule.end_step}`);
    if (s.schedule && s.schedule.final_sparsity < s.schedule.initial_sparsity) issues.push(`steps.${i}.schedule.final_sparsity: expected >= initial_sparsity`);
  });
  return issues;
}

function parseWith<T extends z.ZodType>(schema: T, keys: readonly string[], raw: unknown, source: string): z.infer<T> {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, raw, keys));
  const issues = crossCheck((parsed.data as { steps: CompressStep[] }).steps);
  if (issues.length) throw new ConfigError(source, issues);
  return parsed.data;
}

export function parseCompressSection(raw: unknown, source = "compress"): CompressSection {
  return parseWith(CompressSection, Object.keys(CompressSection.shape), raw, source);
}

export function parseCompressConfig(raw: unknown, source = ""): CompressConfig {
  return parseWith(CompressConfig, Object.keys(CompressConfig.shape), raw, source);
}

/** compress.yaml + `--set` overrides -> validated config. A dataset path in the file is relative
 *  to the file, as in training configs. */
export function loadCompressConfig(path: string, sets: readonly string[] = []): CompressConfig {
  const config = parseCompressConfig(applyOverrides(readYamlFile(path), sets), path);
  if (config.dataset && isDatasetPath(config.dataset) && !isAbsolute(config.dataset) && !sets.some((s) => s.startsWith("dataset="))) {
    config.dataset = resolve(dirname(path), config.dataset);
  }
  return config;
}
