import { AnalysisInputError } from "../errors";
import type { RunConfig } from "./types";

/** The config keys advice uses, normalised (snake_case or camelCase accepted; numeric strings parsed, other values ignored). */
export interface NormalizedConfig {
  learningRate?: number;
  dropout?: number;
  loraDropout?: number;
  weightDecay?: number;
  l1?: number;
  l2?: number;
  finetuningType?: string;
  loraRank?: number;
  freezeTrainableLayers?: number;
  numTrainEpochs?: number;
  maxSteps?: number;
  /** null = explicitly off. */
  earlyStoppingPatience?: number | null;
  earlyStoppingMinDelta?: number;
  restoreBest?: boolean;
  augmentationRate?: number;
  trainSize?: number;
  validationSize?: number;
  maxGradNorm?: number;
  optim?: string;
}

const NUMERIC: [keyof NormalizedConfig, string, string][] = [
  ["learningRate", "learning_rate", "learningRate"],
  ["dropout", "dropout", "dropout"],
  ["loraDropout", "lora_dropout", "loraDropout"],
  ["weightDecay", "weight_decay", "weightDecay"],
  ["l1", "l1", "l1"],
  ["l2", "l2", "l2"],
  ["loraRank", "lora_rank", "loraRank"],
  ["freezeTrainableLayers", "freeze_trainable_layers", "freezeTrainableLayers"],
  ["numTrainEpochs", "num_train_epochs", "numTrainEpochs"],
  ["maxSteps", "max_steps", "maxSteps"],
  ["earlyStoppingMinDelta", "early_stopping_min_delta", "earlyStoppingMinDelta"],
  ["augmentationRate", "augmentation_rate", "augmentationRate"],
  ["trainSize", "train_size", "trainSize"],
  ["validationSize", "validation_size", "validationSize"],
  ["maxGradNorm", "max_grad_norm", "maxGradNorm"],
];

// A config is free-form user data: a value that is not a number ("auto", a list) makes advice skip
// that key instead of failing the whole diagnosis.
function num(raw: unknown): number | undefined {
  const v = typeof raw === "string" && raw.trim() !== "" ? Number(raw) : raw;
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

export function readConfig(config: RunConfig | undefined): NormalizedConfig {
  if (config === undefined || config === null) return {};
  if (typeof config !== "object" || Array.isArray(config)) throw new AnalysisInputError("config", "an object of hyperparameters", config);
  const c = config as Record<string, unknown>;
  const out: NormalizedConfig = {};
  const pick = (snake: string, camel: string) => (c[snake] !== undefined ? [c[snake], snake] : [c[camel], camel]) as [unknown, string];
  for (const [key, snake, camel] of NUMERIC) {
    const [raw] = pick(snake, camel);
    const v = num(raw);
    if (v !== undefined) (out as Record<string, unknown>)[key] = v;
  }
  const [patience] = pick("early_stopping_patience", "earlyStoppingPatience");
  if (patience === null || patience === 0 || patience === false) out.earlyStoppingPatience = null;
  else if (num(patience) !== undefined) out.earlyStoppingPatience = num(patience);
  const [ft] = pick("finetuning_type", "finetuningType");
  if (ft !== undefined && ft !== null) out.finetuningType = String(ft);
  const [optim] = pick("optim", "optimizer");
  if (typeof optim === "string") out.optim = optim;
  const [restore] = pick("restore_best", "restoreBest");
  if (typeof restore === "boolean") out.restoreBest = restore;
  return out;
}
