import type { Db } from "@finetrack/db";
import type { MlflowMetric } from "./mlflow-types";

/**
 * A page of one metric's values in stored-step order, each with its MLflow step (see
 * placeMlflowSteps): points with a stored step greater than `afterStep`.
 */
export async function readMlflowHistory(
  db: Db,
  input: { runId: string; key: string; afterStep: number; limit: number },
): Promise<{ metrics: MlflowMetric[]; nextAfterStep: number | null }> {
  const { rows } = await db.pool.query<{ stored: number; step: string; value: number; time: string }>(
    `SELECT p."step" AS "stored", COALESCE(m."mlflowStep", p."step")::text AS "step", p."value", (extract(epoch from p."time") * 1000)::int8::text AS "time"
     FROM "Run" r
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = $2
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id"
     LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = $2 AND p."step" BETWEEN m."fromStep" AND m."toStep"
     WHERE r."id" = $1 AND p."step" > $3
     ORDER BY p."step" LIMIT $4`,
    [input.runId, input.key, input.afterStep, input.limit],
  );
  return {
    metrics: rows.map((r) => ({ key: input.key, value: r.value, timestamp: Number(r.time), step: Number(r.step) })),
    nextAfterStep: rows.length === input.limit ? rows[rows.length - 1].stored : null,
  };
}
