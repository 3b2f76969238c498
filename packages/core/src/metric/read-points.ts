import type { PointsOutput } from "@finetrack/contracts";
import { readPointsPage, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";

/** A page of one curve's stored points in step order, at full resolution (for exports). `known`: runs the request already resolved. */
export async function readPoints(db: Db, input: { runId: string; key: string; afterStep: number; limit: number }, known?: Map<string, ResolvedRun>): Promise<PointsOutput> {
  const run = (await getRunProjects(db, [input.runId], { field: "runId" }, known)).get(input.runId)!;
  const rows = await readPointsPage(db.pool, run, input.key, input.afterStep, input.limit);
  return {
    step: rows.map((r) => r.step),
    value: rows.map((r) => r.value),
    epoch: rows.map((r) => r.epoch),
    time: rows.map((r) => r.time),
    nextAfterStep: rows.length === input.limit ? rows[rows.length - 1].step : null,
  };
}
