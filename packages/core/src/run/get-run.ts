import { MAX_RUN_METRIC_STATS, type Run } from "@finetrack/contracts";
import { readRunRecord, type Db, type ResolvedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { getRunProjects } from "./get-run-project";
import { recordToRun } from "./to-run";

/** One run with its dataset and its first MAX_RUN_METRIC_STATS metric stats; `known`: runs the request already resolved. */
export async function getRun(db: Db, id: string, known?: Map<string, ResolvedRun>): Promise<Run> {
  const { seq } = (await getRunProjects(db, [id], {}, known)).get(id)!;
  const record = await readRunRecord(db.pool, seq, MAX_RUN_METRIC_STATS);
  if (!record) throw new AppError("NOT_FOUND", `run '${id}' not found`, { field: "id" }); // deleted in between
  return recordToRun(record);
}
