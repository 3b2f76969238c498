import type { RunStatus } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/**
 * Records a sign of life. A run marked crashed that beats again was only out of touch (a network
 * partition, a paused laptop), so it goes back to running.
 */
export async function heartbeatRun(db: Db, id: string): Promise<{ id: string; status: RunStatus; heartbeatAt: Date }> {
  const { rows } = await db.pool.query<{ id: string; status: RunStatus; heartbeatAt: Date }>(
    `UPDATE "Run" SET "heartbeatAt" = now(),
       "status" = CASE WHEN "status" = 'crashed' THEN 'running'::"RunStatus" ELSE "status" END,
       "finishedAt" = CASE WHEN "status" = 'crashed' THEN NULL ELSE "finishedAt" END
     WHERE "id" = $1 RETURNING "id", "status", "heartbeatAt"`,
    [id],
  );
  if (rows.length === 0) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" });
  return rows[0];
}
