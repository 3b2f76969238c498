import { z } from "zod";
import { AnyNumber, RunId, RunProjectField, WallTime } from "./common";
import { isSafeText, SAFE_TEXT_MESSAGE } from "./json-value";
import {
  DEFAULT_SERIES_POINTS,
  MAX_EPOCH,
  MAX_METRIC_KEY_LENGTH,
  MAX_POINTS_PER_BATCH,
  MAX_SERIES_KEYS,
  MAX_SERIES_POINTS,
  MAX_SERIES_RUNS,
  MAX_STEP,
} from "./limits";

export const MetricKeyName = z
  .string({ error: "expected a metric key (string)" })
  .min(1, { error: "expected a non-empty metric key" })
  .max(MAX_METRIC_KEY_LENGTH, { error: `expected a metric key of at most ${MAX_METRIC_KEY_LENGTH} characters` })
  // Before the control-character rule, so a NUL is named as the wire transformer names it.
  .refine(isSafeText, { error: SAFE_TEXT_MESSAGE })
  .regex(/^[^\u0000-\u001f]+$/, { error: "expected a metric key without control characters" });

export const Step = z
  .number({ error: "expected a step (integer)" })
  .int({ error: "expected an integer step" })
  .min(0, { error: "expected a non-negative step" })
  .max(MAX_STEP, { error: `expected a step of at most ${MAX_STEP}` });

export const MetricPoint = z.object({
  key: MetricKeyName,
  step: Step,
  value: AnyNumber,
  epoch: z
    .number({ error: "expected a finite epoch number" })
    .nonnegative({ error: "expected a non-negative epoch" })
    .max(MAX_EPOCH, { error: `expected an epoch of at most ${MAX_EPOCH} (stored as float4)` })
    .nullish(),
  time: WallTime.optional(),
});
export type MetricPoint = z.infer<typeof MetricPoint>;

export const LogBatchInput = z.object({
  runId: RunId,
  ...RunProjectField,
  points: z
    .array(MetricPoint, { error: "expected an array of points" })
    .max(MAX_POINTS_PER_BATCH, { error: `expected at most ${MAX_POINTS_PER_BATCH} points per batch; split the batch` }),
});
export type LogBatchInput = z.infer<typeof LogBatchInput>;

/**
 * One refused point of a refused metric.logBatch, in the error's `data.rejected` (every bad point of
 * the batch, one entry each; nothing of the batch was stored). `field` is like `points.3.value`.
 * A client drops these and sends the rest again.
 */
export type RejectedPoint = { index: number; key: string | null; step: number | null; field: string; message: string };

export const LogBatchOutput = z.object({
  /** Points stored by this call. */
  inserted: z.number(),
  /** Points that were already stored with the same value (a retried batch). */
  duplicates: z.number(),
});
export type LogBatchOutput = z.infer<typeof LogBatchOutput>;

export const SeriesInput = z.object({
  ...RunProjectField,
  runIds: z.array(RunId).min(1, { error: "expected at least one run id" }).max(MAX_SERIES_RUNS, { error: `expected at most ${MAX_SERIES_RUNS} runs` }),
  keys: z.array(MetricKeyName).min(1, { error: "expected at least one metric key" }).max(MAX_SERIES_KEYS, { error: `expected at most ${MAX_SERIES_KEYS} keys` }),
  maxPoints: z.number().int().min(4, { error: "expected maxPoints of at least 4" }).max(MAX_SERIES_POINTS, { error: `expected maxPoints of at most ${MAX_SERIES_POINTS}` }).default(DEFAULT_SERIES_POINTS),
});
export type SeriesInput = z.input<typeof SeriesInput>;

/** One curve, column-wise. `time` is milliseconds since the Unix epoch. */
export const Series = z.object({
  runId: z.string(),
  key: z.string(),
  step: z.array(z.number()),
  value: z.array(AnyNumber),
  epoch: z.array(z.number().nullable()),
  time: z.array(z.number()),
  /** Points stored for this curve. */
  total: z.number(),
  /** True when the curve was downsampled (first, last, and each bucket's min and max kept). */
  sampled: z.boolean(),
});
export type Series = z.infer<typeof Series>;

export const SeriesOutput = z.object({ series: z.array(Series) });
export type SeriesOutput = z.infer<typeof SeriesOutput>;

export const MetricKeysInput = z.object({
  ...RunProjectField,
  runIds: z.array(RunId).min(1, { error: "expected at least one run id" }).max(MAX_SERIES_RUNS),
});
export type MetricKeysInput = z.infer<typeof MetricKeysInput>;

export const MetricKeysOutput = z.object({ keys: z.array(z.string()) });
export type MetricKeysOutput = z.infer<typeof MetricKeysOutput>;

/** Every stored point of one curve in step order, a page at a time, without downsampling (exports). */
export const PointsInput = z.object({
  runId: RunId,
  ...RunProjectField,
  key: MetricKeyName,
  /** Points with a step greater than this; -1 starts at the beginning. */
  afterStep: z.number().int({ error: "expected an integer step" }).min(-1, { error: "expected -1 or a step" }).max(MAX_STEP).default(-1),
  limit: z.number().int().min(1, { error: "expected a limit of at least 1" }).max(MAX_SERIES_POINTS, { error: `expected a limit of at most ${MAX_SERIES_POINTS}` }).default(MAX_SERIES_POINTS),
});
export type PointsInput = z.input<typeof PointsInput>;

export const PointsOutput = z.object({
  step: z.array(z.number()),
  value: z.array(z.number()),
  epoch: z.array(z.number().nullable()),
  /** Milliseconds since the Unix epoch. */
  time: z.array(z.number()),
  /** Pass as afterStep for the next page; null after the last page. */
  nextAfterStep: z.number().nullable(),
});
export type PointsOutput = z.infer<typeof PointsOutput>;
