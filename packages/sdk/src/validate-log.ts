import { MAX_METRIC_KEY_LENGTH as MAX_KEY_LENGTH, MAX_STEP, type MetricPoint } from "@finetrack/contracts";

/**
 * Checks one log() call and turns it into points. Bad input is a bug in the caller, so it throws
 * at once with the field named, instead of failing later on the server where nobody sees it.
 */
export function validateLog(metrics: Record<string, number>, options: { step: number; epoch?: number }): MetricPoint[] {
  if (typeof metrics !== "object" || metrics === null || Array.isArray(metrics)) {
    throw new TypeError(`finetrack: run.log(metrics) expects an object of metric name -> number, got ${describe(metrics)}`);
  }
  const step = options?.step;
  if (typeof step !== "number" || !Number.isInteger(step) || step < 0 || step > MAX_STEP) {
    throw new TypeError(`finetrack: run.log step must be an integer between 0 and ${MAX_STEP}, got ${describe(step)}`);
  }
  const epoch = options.epoch;
  if (epoch !== undefined && (typeof epoch !== "number" || !Number.isFinite(epoch) || epoch < 0)) {
    throw new TypeError(`finetrack: run.log epoch must be a finite non-negative number, got ${describe(epoch)}`);
  }
  // Milliseconds rather than a Date: cheaper to build, serialize and spool, for every point.
  const time = Date.now();
  const points: MetricPoint[] = [];
  for (const key in metrics) {
    const value = metrics[key];
    if (!validKeys.has(key)) {
      checkKey(key);
      if (validKeys.size < 100_000) validKeys.add(key);
    }
    // NaN and ±Infinity are legitimate (a diverged loss) and are stored as such.
    if (typeof value !== "number") {
      throw new TypeError(`finetrack: run.log metric '${key}' must be a number, got ${describe(value)}`);
    }
    points.push(epoch === undefined ? { key, step, value, time } : { key, step, value, epoch, time });
  }
  return points;
}

/** Metric names repeat every step; each is checked once. */
const validKeys = new Set<string>();

function checkKey(key: string): void {
  if (key.length === 0 || key.length > MAX_KEY_LENGTH || /[\u0000-\u001f]/.test(key)) {
    throw new TypeError(`finetrack: run.log metric names must be 1-${MAX_KEY_LENGTH} characters without control characters, got '${key.slice(0, 40)}' (${key.length} characters)`);
  }
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string '${value.slice(0, 40)}'`;
  if (typeof value === "number") return String(value);
  return typeof value;
}
