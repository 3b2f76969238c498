import { MAX_STEP, type MetricPoint, type MetricStat } from "@finetrack/contracts";
import { AppError } from "../shared/app-error";
import type { PoolClient } from "../shared/pg-types";
import type { MlflowMetric } from "./mlflow-types";

type Range = { key: string; fromStep: number; toStep: number; mlflowStep: number };

const valueText = (v: number) => (Number.isNaN(v) ? "NaN" : String(v));
const identity = (key: string, step: number, value: number, time: number) => `${key}\u0000${step}\u0000${valueText(value)}\u0000${time}`;

/**
 * Where MLflow metrics go among our points, unique on (run, key, step). MLflow keeps every value
 * logged, several per step (python's `log_metric` defaults the step to 0), so:
 * - a metric identical to a stored one (key, MLflow step, value and timestamp) is a retry: skipped;
 * - a metric whose step is free is stored at that step;
 * - otherwise (step taken, negative or beyond int4) it is stored at the key's largest stored step
 *   + 1, and MlflowStepRange records its MLflow step, which history and runs/get report.
 * Runs under the run's row lock (logMetrics' prepare), so concurrent batches place consistently.
 */
export async function placeMlflowSteps(
  client: PoolClient,
  run: { seq: number; projectId: string; stats: Record<string, MetricStat> },
  metrics: MlflowMetric[],
): Promise<{ points: MetricPoint[]; duplicates: number }> {
  if (metrics.length === 0) return { points: [], duplicates: 0 };
  // Only a step at or below a key's largest stored step (or outside int4) can meet a stored point or
  // a recorded MLflow step: a run logging forward needs no lookup at all.
  const storedKeys = [...new Set(metrics.filter((m) => run.stats[m.key] && !(m.step > run.stats[m.key].lastStep && m.step <= MAX_STEP)).map((m) => m.key))];
  const storedValue = new Map<string, { value: number; time: number }>();
  const ranges: Range[] = [];
  if (storedKeys.length > 0) {
    const keys: string[] = [];
    const steps: number[] = [];
    for (const m of metrics) {
      const s = run.stats[m.key];
      if (s && m.step >= s.firstStep && m.step <= s.lastStep) {
        keys.push(m.key);
        steps.push(m.step);
      }
    }
    if (keys.length > 0) {
      const { rows } = await client.query<{ key: string; step: number; value: number; time: string }>(
        `SELECT u.key, p."step", p."value", (extract(epoch from p."time") * 1000)::int8::text AS "time"
         FROM unnest($3::text[], $4::int[]) AS u(key, step)
         JOIN "MetricKey" k ON k."projectId" = $2 AND k."name" = u.key
         JOIN "MetricPoint" p ON p."runSeq" = $1 AND p."keyId" = k."id" AND p."step" = u.step`,
        [run.seq, run.projectId, keys, steps],
      );
      for (const r of rows) storedValue.set(`${r.key}\u0000${r.step}`, { value: r.value, time: Number(r.time) });
    }
    const { rows } = await client.query<{ key: string; fromStep: number; toStep: number; mlflowStep: string }>(
      `SELECT "key", "fromStep", "toStep", "mlflowStep"::text FROM "MlflowStepRange" WHERE "runSeq" = $1 AND "key" = ANY($2::text[])`,
      [run.seq, storedKeys],
    );
    for (const r of rows) ranges.push({ key: r.key, fromStep: r.fromStep, toStep: r.toStep, mlflowStep: Number(r.mlflowStep) });
  }
  const rangeOf = (key: string, step: number) => ranges.find((r) => r.key === key && step >= r.fromStep && step <= r.toStep);

  // Identities of stored points at the MLflow steps this batch names: native ones, then remapped ones.
  const known = new Set<string>();
  for (const [k, v] of storedValue) {
    const [key, stepText] = k.split("\u0000");
    const step = Number(stepText);
    if (!rangeOf(key, step)) known.add(identity(key, step, v.value, v.time));
  }
  const batchSteps = new Set(metrics.map((m) => `${m.key}\u0000${m.step}`));
  const hit = ranges.filter((r) => batchSteps.has(`${r.key}\u0000${r.mlflowStep}`));
  if (hit.length > 0) {
    const { rows } = await client.query<{ key: string; m: string; value: number; time: string }>(
      `SELECT u.key, u.m::text AS m, p."value", (extract(epoch from p."time") * 1000)::int8::text AS "time"
       FROM unnest($3::text[], $4::int[], $5::int[], $6::int8[]) AS u(key, f, t, m)
       JOIN "MetricKey" k ON k."projectId" = $2 AND k."name" = u.key
       JOIN "MetricPoint" p ON p."runSeq" = $1 AND p."keyId" = k."id" AND p."step" BETWEEN u.f AND u.t
       WHERE p."time" = ANY($7::timestamptz[])`,
      [run.seq, run.projectId, hit.map((r) => r.key), hit.map((r) => r.fromStep), hit.map((r) => r.toStep), hit.map((r) => String(r.mlflowStep)),
        [...new Set(metrics.map((m) => new Date(m.timestamp).toISOString()))]],
    );
    for (const r of rows) known.add(identity(r.key, Number(r.m), r.value, Number(r.time)));
  }

  const used = new Map<string, Set<number>>();
  const top = new Map<string, number>();
  const created: Range[] = [];
  const lastCreated = new Map<string, Range>();
  const points: MetricPoint[] = [];
  let duplicates = 0;
  for (const m of metrics) {
    const id = identity(m.key, m.step, m.value, m.timestamp);
    if (known.has(id)) {
      duplicates++;
      continue;
    }
    known.add(id);
    let taken = used.get(m.key);
    if (!taken) used.set(m.key, (taken = new Set()));
    const native = m.step >= 0 && m.step <= MAX_STEP;
    let step = m.step;
    if (!native || taken.has(m.step) || storedValue.has(`${m.key}\u0000${m.step}`)) {
      step = Math.max(top.get(m.key) ?? -1, run.stats[m.key]?.lastStep ?? -1) + 1;
      if (step > MAX_STEP) throw new AppError("BAD_REQUEST", `metric '${m.key}' has no free step left to store another value`, { field: "metrics" });
      const last = lastCreated.get(m.key);
      if (last && last.mlflowStep === m.step && last.toStep === step - 1) last.toStep = step;
      else {
        const range = { key: m.key, fromStep: step, toStep: step, mlflowStep: m.step };
        created.push(range);
        lastCreated.set(m.key, range);
      }
    }
    taken.add(step);
    top.set(m.key, Math.max(top.get(m.key) ?? -1, step));
    points.push({ key: m.key, step, value: m.value, time: m.timestamp });
  }
  await writeRanges(client, run.seq, created);
  return { points, duplicates };
}

/** New ranges; a key's first one extends a stored range ending right before it with the same MLflow step. */
async function writeRanges(client: PoolClient, runSeq: number, created: Range[]): Promise<void> {
  const inserts: Range[] = [];
  const firstOfKey = new Set<string>();
  for (const r of created) {
    if (!firstOfKey.has(r.key)) {
      firstOfKey.add(r.key);
      const { rowCount } = await client.query(
        `UPDATE "MlflowStepRange" SET "toStep" = $4 WHERE "runSeq" = $1 AND "key" = $2 AND "toStep" = $3 - 1 AND "mlflowStep" = $5::int8`,
        [runSeq, r.key, r.fromStep, r.toStep, String(r.mlflowStep)],
      );
      if (rowCount) continue;
    }
    inserts.push(r);
  }
  if (inserts.length === 0) return;
  await client.query(
    `INSERT INTO "MlflowStepRange" ("runSeq", "key", "fromStep", "toStep", "mlflowStep")
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[], $5::int8[])`,
    [runSeq, inserts.map((r) => r.key), inserts.map((r) => r.fromStep), inserts.map((r) => r.toStep), inserts.map((r) => String(r.mlflowStep))],
  );
}
