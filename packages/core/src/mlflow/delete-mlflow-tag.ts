import { saveMlflowTags, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { applyMlflowTags } from "./apply-mlflow-tags";
import { assertActive, tagStateOf } from "./log-mlflow-batch";
import { NOTE_TAG, PARENT_RUN_TAG } from "./mlflow-types";
import { withLockedRun } from "./with-locked-run";

/** MLflow's runs/delete-tag: removes a tag (and what it maps onto: notes, parent run, label). */
export async function deleteMlflowTag(db: Db, runId: string, key: string, known?: Map<string, ResolvedRun>): Promise<void> {
  await withLockedRun(db, runId, async (client, run) => {
    assertActive(run);
    const state = tagStateOf(run);
    const present = key in state.mlflowTags || (key === NOTE_TAG && state.notes !== "") || (key === PARENT_RUN_TAG && state.parentRunId !== null);
    if (!present) throw new AppError("NOT_FOUND", `No tag with name: ${key} in run with id ${runId}`, { field: "key" });
    const next = applyMlflowTags(state, { remove: [key] });
    await saveMlflowTags(client, run.seq, { mlflowTagsJson: JSON.stringify(next.mlflowTags), notes: next.notes, labels: next.labels, parentRunId: next.parentRunId });
  }, known);
}
