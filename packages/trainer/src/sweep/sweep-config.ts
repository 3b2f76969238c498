import { z } from "zod";

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/** One swept key: a list of values, `{values}`, or (random search) a range. */
export const SweepParameter = z.union([
  z.array(Scalar).min(1),
  z.strictObject({ values: z.array(Scalar).min(1) }),
  z
    .strictObject({
      min: z.number(),
      max: z.number(),
      distribution: z.enum(["uniform", "log_uniform", "int_uniform"]).default("uniform"),
    })
    .refine((r) => r.max >= r.min, { error: "expected max >= min" })
    .refine((r) => r.distribution !== "log_uniform" || r.min > 0, { error: "expected min > 0 for log_uniform" }),
]);
export type SweepParameter = z.infer<typeof SweepParameter>;

export const SweepConfig = z.strictObject({
  name: z.string().min(1).default("sweep"),
  project: z.string().min(1).optional(),
  /** Shared by every run of the sweep (default `<name>-<time>`). */
  group: z.string().min(1).optional(),
  /** tpe (model-based) needs `--queue`: the server suggests each trial from the results so far. */
  method: z.enum(["grid", "random", "tpe"]).default("grid"),
  /** Path of a train config the sweep starts from, relative to the sweep file. */
  base: z.string().optional(),
  /** Config keys set on every run (over `base`). */
  config: z.record(z.string(), z.unknown()).default({}),
  /** Swept config keys (dotted keys reach nested sections, e.g. augmentation.rate). */
  parameters: z.record(z.string(), SweepParameter).default({}),
  /** Every combination (grid) or sample (random) runs once per seed. */
  seeds: z.array(z.number().int().min(0)).min(1).default([42]),
  /** random: number of samples (each run once per seed). */
  count: z.number().int().positive().optional(),
  /** random: seed of the sampler itself. */
  sweep_seed: z.number().int().default(0),
  /** Any program instead of our trainer: `["python", "train.py", "--lr", "${learning_rate}"]`. */
  command: z.array(z.string().min(1)).min(1).optional(),
  /** What "best" means (a logged metric), for early termination, TPE and the sweep page. */
  metric: z.strictObject({ name: z.string().min(1).default("val/loss"), goal: z.enum(["minimize", "maximize"]).default("minimize") }).optional(),
  /** --queue: failed attempts re-queued before a trial counts as failed. */
  retries: z.number().int().min(0).max(20).optional(),
  heartbeat_interval_s: z.number().positive().optional(),
  /** --queue: a trial whose agent is silent this long is re-run by another agent. */
  heartbeat_timeout_s: z.number().positive().optional(),
  /** --queue: stop trials clearly worse than their peers at the same step. */
  early_terminate: z.strictObject({ type: z.literal("median"), min_step: z.number().int().min(0).default(0), min_trials: z.number().int().min(1).default(3) }).optional(),
  /** tpe: random trials before the model is used. */
  startup_trials: z.number().int().min(1).optional(),
});
export type SweepConfig = z.infer<typeof SweepConfig>;
