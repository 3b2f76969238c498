import { MAX_METRIC_KEYS_PER_RUN } from "@finetrack/contracts";
import { listRunMetricKeys, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";

/**
 * Metric key names logged by any of the runs, sorted: the first MAX_METRIC_KEYS_PER_RUN (a bounded
 * answer however many runs). `known`: runs the request already resolved.
 */
export async function listMetricKeys(db: Db, runIds: string[], known?: Map<string, ResolvedRun>): Promise<string[]> {
  const runs = await getRunProjects(db, runIds, { field: "runIds" }, known);
  return listRunMetricKeys(db.pool, runIds.map((id) => runs.get(id)!.seq), MAX_METRIC_KEYS_PER_RUN);
}
