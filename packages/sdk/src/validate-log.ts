import { ArtifactLogInput, formatZodError, isSafeText, MetricPoint, RunFinishInput, RunUpdateInput, SAFE_TEXT_MESSAGE } from "@finetrack/contracts";
import type { z } from "zod";
import type { SpoolRecord } from "./spool-record";

export type PointsCheck = {
  /** Points the server will accept. */
  points: MetricPoint[];
  /** Points it would refuse, each with the server's reason (`step: expected a non-negative step`). */
  refused: MetricPoint[];
  why: string[];
  /** Every accepted point is plain JSON (finite, not -0), so JSON.stringify keeps it exactly. */
  plain: boolean;
};

// The server's own point schema, field by field: the same rules and the same messages.
const KeySchema = MetricPoint.shape.key;
const StepSchema = MetricPoint.shape.step;
const ValueSchema = MetricPoint.shape.value;
const EpochSchema = MetricPoint.shape.epoch;

/**
 * Turns one log() call into points, checked with the API's schema (contracts' MetricPoint).
 * A point the server would refuse is not thrown at the training loop: it comes back in `refused`
 * with the reason, for the run to report once and keep in `<run>.rejected.jsonl`. Only a call that
 * cannot be read as metrics at all (not an object) throws.
 */
export function validateLog(metrics: Record<string, number>, options: { step: number; epoch?: number }): PointsCheck {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    throw new TypeError(`finetrack: run.log(metrics) expects an object of metric name -> number, got ${describe(metrics)}`);
  }
  const step = options?.step;
  const epoch = options?.epoch;
  // Milliseconds rather than a Date: cheaper to build, serialize and spool, for every point.
  const time = Date.now();
  const shared = fieldProblem("step", StepSchema, step) ?? (epoch === undefined ? null : fieldProblem("epoch", EpochSchema, epoch));
  const check: PointsCheck = { points: [], refused: [], why: [], plain: epoch === undefined || (Number.isFinite(epoch) && !Object.is(epoch, -0)) };
  // Own keys only, whatever their names (`constructor`, `__proto__` are metric names like any other).
  for (const key of Object.keys(metrics)) {
    const value = metrics[key];
    const point: MetricPoint = epoch === undefined ? { key, step, value, time } : { key, step, value, epoch, time };
    // (AnyNumber is `typeof v === "number"`; the schema is asked only for its message.)
    const problem = shared ?? keyProblem(key) ?? (typeof value === "number" ? null : fieldProblem("value", ValueSchema, value));
    if (problem === null) {
      check.points.push(point);
      if (check.plain && (!Number.isFinite(value) || Object.is(value, -0))) check.plain = false;
    } else {
      check.refused.push(point);
      check.why.push(problem);
    }
  }
  return check;
}

/** Metric names repeat every step; each valid one is checked once. */
const validKeys = new Set<string>();

function keyProblem(key: string): string | null {
  if (validKeys.has(key)) return null;
  // The server's wire format checks text before the schema does, so its message comes first.
  const problem = typeof key === "string" && !isSafeText(key) ? `key: ${SAFE_TEXT_MESSAGE}` : fieldProblem("key", KeySchema, key);
  if (problem === null && validKeys.size < 100_000) validKeys.add(key);
  return problem;
}

function fieldProblem(field: string, schema: z.ZodType, value: unknown): string | null {
  const result = schema.safeParse(value);
  return result.success ? null : `${field}: ${result.error.issues[0]?.message ?? "invalid"}`;
}

const RECORD_SCHEMA: Record<Exclude<SpoolRecord["t"], "points" | "create">, z.ZodType> = { update: RunUpdateInput, artifact: ArtifactLogInput, finish: RunFinishInput };

/** Why the server would refuse this record (with its message), or null. */
export function recordProblem(record: SpoolRecord): string | null {
  if (record.t === "points" || record.t === "create") return null;
  const result = RECORD_SCHEMA[record.t].safeParse(record.input);
  return result.success ? null : formatZodError(result.error);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string '${value.slice(0, 40)}'`;
  return typeof value;
}
