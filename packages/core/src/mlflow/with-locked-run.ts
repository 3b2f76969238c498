import { lockRunForMlflow, type Db, type LockedRun, type ResolvedRun } from "@finetrack/db";
import { getRunProjects } from "../run/get-run-project";
import { AppError } from "../shared/app-error";
import type { PoolClient } from "../shared/pg-types";
import { withTransaction } from "../shared/with-transaction";

export type { LockedRun };

/** Runs `fn` in a transaction holding the run's row lock (the lock ingest takes too). `known`: runs the request already resolved. */
export async function withLockedRun<T>(db: Db, runId: string, fn: (client: PoolClient, run: LockedRun) => Promise<T>, known?: Map<string, ResolvedRun>): Promise<T> {
  const { seq } = (await getRunProjects(db, [runId], { field: "run_id" }, known)).get(runId)!;
  return withTransaction(db, async (client) => {
    const run = await lockRunForMlflow(client, seq);
    if (!run) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
    return fn(client, run);
  });
}
