import { readMlflowPointsAt, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { runInclude, toRun } from "../run/to-run";
import type { MlflowMetric } from "./mlflow-types";
import { toMlflowRun, type MlflowRun } from "./to-mlflow-run";

/**
 * Runs as MLflow entities, in the order of `ids`. A metric's latest value is the point at its
 * largest stored step (its MLflow step, timestamp and value), read with one primary-key lookup per
 * run and key. `known`: runs the request already resolved.
 */
export async function listMlflowRuns(db: Db, ids: string[], known?: Map<string, ResolvedRun>): Promise<MlflowRun[]> {
  if (ids.length === 0) return [];
  const resolved = await getRunProjects(db, ids, { field: "run_ids" }, known);
  return listMlflowRunsBySeq(db, ids.map((id) => resolved.get(id)!.seq));
}

/** The same by the runs' internal keys (a search over several experiments may hold one id twice), in the order of `seqs`. */
export async function listMlflowRunsBySeq(db: Db, seqs: number[]): Promise<MlflowRun[]> {
  if (seqs.length === 0) return [];
  const rows = await db.prisma.run.findMany({ where: { seq: { in: seqs } }, include: { ...runInclude, project: { select: { slug: true } } } });
  const runs = rows.map((row) => ({ row, run: toRun(row) }));
  const runSeqs: number[] = [];
  const keys: string[] = [];
  const steps: number[] = [];
  for (const { row, run } of runs) {
    for (const [key, stat] of Object.entries(run.metricStats)) {
      runSeqs.push(row.seq);
      keys.push(key);
      steps.push(stat.lastStep);
    }
  }
  const latest = new Map<number, MlflowMetric[]>();
  if (runSeqs.length > 0) {
    const points = await readMlflowPointsAt(db.pool, { runSeqs, keys, steps });
    for (const p of points) {
      let list = latest.get(p.runSeq);
      if (!list) latest.set(p.runSeq, (list = []));
      list.push({ key: p.key, value: p.value, timestamp: Number(p.time), step: Number(p.step) });
    }
  }
  const bySeq = new Map(runs.map(({ row, run }) => [row.seq, toMlflowRun(run, { projectSlug: row.project.slug, deletedAt: row.deletedAt, latest: latest.get(row.seq) ?? [] })]));
  return seqs.flatMap((seq) => bySeq.get(seq) ?? []);
}
