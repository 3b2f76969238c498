import { readMlflowPointsAt, type Db } from "@finetrack/db";
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
    const points = await readMlflowPointsAt(db.pool, { runIds, keys, steps });
    for (const p of points) {
      let list = latest.get(p.runId);
      if (!list) latest.set(p.runId, (list = []));
      list.push({ key: p.key, value: p.value, timestamp: Number(p.time), step: Number(p.step) });
    }
  }
  const byId = new Map(runs.map(({ row, run }) => [run.id, toMlflowRun(run, { projectSlug: row.project.slug, deletedAt: row.deletedAt, latest: latest.get(run.id) ?? [] })]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}
