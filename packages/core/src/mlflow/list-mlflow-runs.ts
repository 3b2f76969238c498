import type { Db } from "@finetrack/db";
import { runInclude, toRun } from "../run/to-run";
import type { MlflowMetric } from "./mlflow-types";
import { toMlflowRun, type MlflowRun } from "./to-mlflow-run";

/**
 * Runs as MLflow entities, in the order of `ids` (unknown ids are left out). A metric's latest
 * value is the point at its largest stored step (its MLflow step, timestamp and value), read with
 * one primary-key lookup per run and key.
 */
export async function listMlflowRuns(db: Db, ids: string[]): Promise<MlflowRun[]> {
  if (ids.length === 0) return [];
  const rows = await db.prisma.run.findMany({ where: { id: { in: ids } }, include: { ...runInclude, project: { select: { slug: true } } } });
  const runs = rows.map((row) => ({ row, run: toRun(row) }));
  const runIds: string[] = [];
  const keys: string[] = [];
  const steps: number[] = [];
  for (const { run } of runs) {
    for (const [key, stat] of Object.entries(run.metricStats)) {
      runIds.push(run.id);
      keys.push(key);
      steps.push(stat.lastStep);
    }
  }
  const latest = new Map<string, MlflowMetric[]>();
  if (runIds.length > 0) {
    const { rows: points } = await db.pool.query<{ runId: string; key: string; value: number; step: string; time: string }>(
      `SELECT u.run_id AS "runId", u.key, p."value", COALESCE(m."mlflowStep", p."step")::text AS "step", (extract(epoch from p."time") * 1000)::int8::text AS "time"
       FROM unnest($1::text[], $2::text[], $3::int[]) AS u(run_id, key, step)
       JOIN "Run" r ON r."id" = u.run_id
       JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = u.key
       JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id" AND p."step" = u.step
       LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = u.key AND u.step BETWEEN m."fromStep" AND m."toStep"`,
      [runIds, keys, steps],
    );
    for (const p of points) {
      let list = latest.get(p.runId);
      if (!list) latest.set(p.runId, (list = []));
      list.push({ key: p.key, value: p.value, timestamp: Number(p.time), step: Number(p.step) });
    }
  }
  const byId = new Map(runs.map(({ row, run }) => [run.id, toMlflowRun(run, { projectSlug: row.project.slug, deletedAt: row.deletedAt, latest: latest.get(run.id) ?? [] })]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
