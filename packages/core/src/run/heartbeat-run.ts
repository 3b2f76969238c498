import type { RunStatus } from "@finetrack/contracts";
import { touchRunHeartbeat, type Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/**
 * Records a sign of life. A run marked crashed that beats again was only out of touch (a network
 * partition, a paused laptop), so it goes back to running.
 */
export async function heartbeatRun(db: Db, id: string): Promise<{ id: string; status: RunStatus; heartbeatAt: Date }> {
  const row = await touchRunHeartbeat(db.pool, id);
  if (!row) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" });
  return row as { id: string; status: RunStatus; heartbeatAt: Date };
}
