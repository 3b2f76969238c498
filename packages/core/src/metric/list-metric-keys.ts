import { MAX_METRIC_KEYS_PER_RUN } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";

/** Metric key names logged by any of the runs, sorted: the first MAX_METRIC_KEYS_PER_RUN (a bounded answer however many runs). */
export async function listMetricKeys(db: Db, runIds: string[]): Promise<string[]> {
  await getRunProjects(db, runIds, { field: "runIds" });
  const { rows } = await db.pool.query<{ key: string }>(
    `SELECT DISTINCT jsonb_object_keys("metricStats") AS key FROM "Run" WHERE "id" = ANY($1::text[]) ORDER BY 1 LIMIT $2`,
    [runIds, MAX_METRIC_KEYS_PER_RUN],
  );
  return rows.map((r) => r.key);
}
