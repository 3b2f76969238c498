import { readMlflowHistoryPage, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import type { MlflowMetric } from "./mlflow-types";

/**
 * A page of one metric's values in stored-step order, each with its MLflow step (see
 * placeMlflowSteps): points with a stored step greater than `afterStep`.
 */
export async function readMlflowHistory(
  db: Db,
  input: { runId: string; key: string; afterStep: number; limit: number },
  known?: Map<string, ResolvedRun>,
): Promise<{ metrics: MlflowMetric[]; nextAfterStep: number | null }> {
  const { seq } = (await getRunProjects(db, [input.runId], { field: "run_id" }, known)).get(input.runId)!;
  const rows = await readMlflowHistoryPage(db.pool, seq, input.key, input.afterStep, input.limit);
  return {
    metrics: rows.map((r) => ({ key: input.key, value: r.value, timestamp: Number(r.time), step: Number(r.step) })),
    nextAfterStep: rows.length === input.limit ? rows[rows.length - 1].stored : null,
  };
}
