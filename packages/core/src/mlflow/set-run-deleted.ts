import { setRunDeletedAt, type Db, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { AppError } from "../shared/app-error";

/** MLflow's runs/delete and runs/restore (and run.delete): the run's lifecycle stage; its data stays. `known`: runs the request already resolved. */
export async function setRunDeleted(db: Db, runId: string, deleted: boolean, known?: Map<string, ResolvedRun>, field = "run_id"): Promise<void> {
  const { seq } = (await getRunProjects(db, [runId], { field }, known)).get(runId)!;
  if (!(await setRunDeletedAt(db.pool, seq, deleted))) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field });
}
