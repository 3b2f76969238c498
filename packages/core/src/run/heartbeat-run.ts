import type { RunStatus } from "@finetrack/contracts";
import { touchRunHeartbeat, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { getRunProjects } from "./get-run-project";

/**
 * Records a sign of life. A run marked crashed that beats again was only out of touch (a network
 * partition, a paused laptop), so it goes back to running. `known`: runs the request already resolved.
 */
export async function heartbeatRun(db: Db, id: string, known?: Map<string, ResolvedRun>): Promise<{ id: string; status: RunStatus; heartbeatAt: Date }> {
  const { seq } = (await getRunProjects(db, [id], {}, known)).get(id)!;
  const row = await touchRunHeartbeat(db.pool, seq);
  if (!row) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" });
  return row as { id: string; status: RunStatus; heartbeatAt: Date };
}
