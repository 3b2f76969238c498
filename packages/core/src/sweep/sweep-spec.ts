import { z } from "zod";

const Scalar = z.union([z.string(), z.number(), z.boolean(), z.null()]);

/** One swept key as the server keeps it: a list of values, or (random, tpe) a range. */
export const SweepSpace = z.record(
  z.string().min(1).max(300),
  z.union([
    z.object({ values: z.array(z.union([Scalar, z.array(z.union([z.string(), z.number()]))])).min(1).max(1_000) }),
    z
      .object({ min: z.number(), max: z.number(), distribution: z.enum(["uniform", "log_uniform", "int_uniform"]).default("uniform") })
      .refine((r) => r.max >= r.min, { error: "expected max >= min" })
      .refine((r) => r.distribution !== "log_uniform" || r.min > 0, { error: "expected min > 0 for log_uniform" }),
  ]),
);
export type SweepSpace = z.infer<typeof SweepSpace>;

/** What every agent needs to run a trial, and the server's rules for the sweep. Stored in `Sweep.config`. */
export const SweepSpec = z.strictObject({
  name: z.string().min(1).max(200),
  /** Every trial's run is put in this group (the ablation and factor pages scope to it). */
  group: z.string().min(1).max(200),
  method: z.enum(["grid", "random", "tpe"], { error: "expected 'grid', 'random' or 'tpe'" }),
  parameters: SweepSpace.default({}),
  seeds: z.array(z.number().int().min(0)).min(1).max(100).default([42]),
  /** Any program: `${key}` in an argument is replaced by the trial's value (env vars carry them too). */
  command: z.array(z.string().min(1).max(4_000)).min(1).max(200).optional(),
  /** Our trainer: the base training config each trial's values are applied to. */
  trainer: z.record(z.string(), z.unknown()).optional(),
  /** What "best" means, read from each run's logged metrics. */
  metric: z.object({ name: z.string().min(1).max(256).default("val/loss"), goal: z.enum(["minimize", "maximize"]).default("minimize") }).default({ name: "val/loss", goal: "minimize" }),
  /** Failed attempts re-queued before a trial counts as failed (pg-boss's retryLimit). */
  retries: z.number().int().min(0).max(20).default(2),
  heartbeatIntervalS: z.number().min(0.2).max(600).default(10),
  /** A running trial not heard from for this long goes back to the queue (another agent runs it). */
  heartbeatTimeoutS: z.number().min(1).max(3_600).default(60),
  /** Median stopping rule on `metric` at the same step (Golovin et al., Google Vizier). */
  earlyTerminate: z
    .strictObject({
      type: z.literal("median"),
      /** No decision before a trial reaches this step. */
      minStep: z.number().int().min(0).default(0),
      /** Peers that reached the step needed before a trial can be stopped. */
      minTrials: z.number().int().min(1).default(3),
    })
    .optional(),
  /** tpe: trials in total; the first `startupTrials` are random. */
  count: z.number().int().min(1).max(10_000).optional(),
  startupTrials: z.number().int().min(1).max(1_000).default(5),
  sweepSeed: z.number().int().default(0),
}).refine((s) => (s.command ? 1 : 0) + (s.trainer ? 1 : 0) === 1, { error: "expected exactly one of 'command' (any program) or 'trainer' (a training config)", path: ["command"] })
  .refine((s) => s.method !== "tpe" || s.count !== undefined, { error: "a tpe sweep expects count, the number of trials", path: ["count"] });
export type SweepSpec = z.infer<typeof SweepSpec>;
export type SweepSpecInput = z.input<typeof SweepSpec>;

export const TRIAL_STATES = ["queued", "running", "finished", "failed", "stopped_early", "cancelled"] as const;
export type TrialState = (typeof TRIAL_STATES)[number];
export const TERMINAL_TRIAL_STATES: readonly TrialState[] = ["finished", "failed", "stopped_early"];

export const MAX_SWEEP_TRIALS = 10_000;

export const queueName = (sweepId: string) => `sweep_${sweepId}`;
