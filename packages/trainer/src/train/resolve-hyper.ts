import type { HyperParams } from "../types";

export const DEFAULT_HYPER: HyperParams = {
  learning_rate: 1e-3,
  optim: "adamw",
  momentum: 0.9,
  adam_beta1: 0.9,
  adam_beta2: 0.999,
  adam_epsilon: 1e-8,
  weight_decay: 0,
  lr_scheduler_type: "linear",
  warmup_ratio: 0,
  max_grad_norm: 1,
  per_device_train_batch_size: 8,
  per_device_eval_batch_size: 32,
  num_train_epochs: 3,
  max_steps: 0,
  eval_steps: 0,
  dropout: 0,
  l1: 0,
  l2: 0,
  early_stopping_patience: undefined,
  early_stopping_min_delta: 0,
  restore_best: true,
  seed: 42,
};

type Check = [keyof HyperParams, (v: unknown) => boolean, string];
const num = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
const CHECKS: Check[] = [
  ["learning_rate", (v) => num(v) && v > 0, "a positive number"],
  ["optim", (v) => v === "adamw" || v === "adam" || v === "sgd", `"adamw", "adam" or "sgd"`],
  ["momentum", (v) => num(v) && v >= 0 && v < 1, "a number in [0, 1)"],
  ["adam_beta1", (v) => num(v) && v >= 0 && v < 1, "a number in [0, 1)"],
  ["adam_beta2", (v) => num(v) && v >= 0 && v < 1, "a number in [0, 1)"],
  ["adam_epsilon", (v) => num(v) && v > 0, "a positive number"],
  ["weight_decay", (v) => num(v) && v >= 0, "a number ≥ 0"],
  ["lr_scheduler_type", (v) => v === "constant" || v === "linear" || v === "cosine", `"constant", "linear" or "cosine"`],
  ["warmup_ratio", (v) => num(v) && v >= 0 && v < 1, "a number in [0, 1)"],
  ["max_grad_norm", (v) => num(v) && v >= 0, "a number ≥ 0 (0 disables clipping)"],
  ["per_device_train_batch_size", (v) => Number.isInteger(v) && (v as number) >= 1, "a positive integer"],
  ["per_device_eval_batch_size", (v) => Number.isInteger(v) && (v as number) >= 1, "a positive integer"],
  ["num_train_epochs", (v) => num(v) && v > 0, "a positive number"],
  ["max_steps", (v) => Number.isInteger(v) && (v as number) >= 0, "an integer ≥ 0"],
  ["eval_steps", (v) => Number.isInteger(v) && (v as number) >= 0, "an integer ≥ 0 (0 = once per epoch)"],
  ["dropout", (v) => num(v) && v >= 0 && v < 1, "a number in [0, 1)"],
  ["l1", (v) => num(v) && v >= 0, "a number ≥ 0"],
  ["l2", (v) => num(v) && v >= 0, "a number ≥ 0"],
  ["early_stopping_patience", (v) => v === undefined || v === null || (Number.isInteger(v) && (v as number) >= 1), "a positive integer or unset"],
  ["early_stopping_min_delta", (v) => num(v) && v >= 0, "a number ≥ 0"],
  ["restore_best", (v) => typeof v === "boolean", "true or false"],
  ["seed", (v) => Number.isInteger(v), "an integer"],
];

/** Defaults filled in and every field checked; errors name the field and what was expected. */
export function resolveHyper(h: Partial<HyperParams>): HyperParams {
  const defined = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== undefined));
  const out = { ...DEFAULT_HYPER, ...defined } as HyperParams;
  for (const [key, ok, expected] of CHECKS) {
    if (!ok(out[key])) throw new Error(`hyperparameter '${key}' must be ${expected}, got ${JSON.stringify(out[key])}`);
  }
  if (out.augment !== undefined && typeof out.augment !== "function") throw new Error("hyperparameter 'augment' must be a function (batch, rng) => batch");
  if (out.early_stopping_patience === null) out.early_stopping_patience = undefined;
  return out;
}
