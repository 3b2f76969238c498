import { setRunDeletedAt, type Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/** MLflow's runs/delete and runs/restore: the run's lifecycle stage; its data stays. */
export async function setRunDeleted(db: Db, runId: string, deleted: boolean): Promise<void> {
  if (!(await setRunDeletedAt(db.pool, runId, deleted))) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
}
