import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/** MLflow's runs/delete and runs/restore: the run's lifecycle stage; its data stays. */
export async function setRunDeleted(db: Db, runId: string, deleted: boolean): Promise<void> {
  const { rowCount } = await db.pool.query(
    `UPDATE "Run" SET "deletedAt" = CASE WHEN $2 THEN COALESCE("deletedAt", now()) END, "updatedAt" = now() WHERE "id" = $1`,
    [runId, deleted],
  );
  if (rowCount === 0) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
}
