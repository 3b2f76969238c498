import { MAX_NAME_LENGTH } from "@finetrack/contracts";
import { updateMlflowRunFields, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { assertActive } from "./log-mlflow-batch";
import { fromMlflowStatus } from "./to-mlflow-run";
import type { MlflowRunStatus } from "./mlflow-types";
import { withLockedRun } from "./with-locked-run";

/**
 * MLflow's runs/update: status (a terminal one sets the end time, RUNNING/SCHEDULED clear it),
 * end_time, run_name; and the client's start_time after runs/create.
 */
export async function updateMlflowRun(
  db: Db,
  input: { runId: string; status?: MlflowRunStatus; endTime?: number; startTime?: number; name?: string },
  known?: Map<string, ResolvedRun>,
): Promise<void> {
  await withLockedRun(db, input.runId, async (client, run) => {
    assertActive(run);
    const status = input.status ? fromMlflowStatus(input.status) : null;
    const name = input.name?.trim().slice(0, MAX_NAME_LENGTH) || null;
    const updated = await updateMlflowRunFields(client, run.seq, { status, endTime: toDate(input.endTime), startTime: toDate(input.startTime), name });
    if (!updated) throw new AppError("NOT_FOUND", `Run with id=${input.runId} not found`, { field: "run_id" });
  }, known);
}

const toDate = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
