import { readMlflowHistoryPage, type Db } from "@finetrack/db";
import type { MlflowMetric } from "./mlflow-types";

/**
 * A page of one metric's values in stored-step order, each with its MLflow step (see
 * placeMlflowSteps): points with a stored step greater than `afterStep`.
 */
export async function readMlflowHistory(
  db: Db,
  input: { runId: string; key: string; afterStep: number; limit: number },
): Promise<{ metrics: MlflowMetric[]; nextAfterStep: number | null }> {
  const rows = await readMlflowHistoryPage(db.pool, input.runId, input.key, input.afterStep, input.limit);
  return {
    metrics: rows.map((r) => ({ key: input.key, value: r.value, timestamp: Number(r.time), step: Number(r.step) })),
    nextAfterStep: rows.length === input.limit ? rows[rows.length - 1].stored : null,
  };
}
