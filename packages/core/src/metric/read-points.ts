import type { PointsOutput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";

/** A page of one curve's stored points in step order, at full resolution (for exports). */
export async function readPoints(db: Db, input: { runId: string; key: string; afterStep: number; limit: number }): Promise<PointsOutput> {
  await getRunProjects(db, [input.runId], { field: "runId" });
  const { rows } = await db.pool.query<{ step: number; value: number; epoch: number | null; time: number }>(
    `SELECT p."step", p."value", p."epoch", round(date_part('epoch', p."time") * 1000) AS "time"
     FROM "Run" r
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = $2
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id"
     WHERE r."id" = $1 AND p."step" > $3
     ORDER BY p."step" LIMIT $4`,
    [input.runId, input.key, input.afterStep, input.limit],
  );
  return {
    step: rows.map((r) => r.step),
    value: rows.map((r) => r.value),
    epoch: rows.map((r) => r.epoch),
    time: rows.map((r) => r.time),
    nextAfterStep: rows.length === input.limit ? rows[rows.length - 1].step : null,
  };
}
