import { lockRunForMlflow, type Db, type LockedRun } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import type { PoolClient } from "../shared/pg-types";
import { withTransaction } from "../shared/with-transaction";

export type { LockedRun };

/** Runs `fn` in a transaction holding the run's row lock (the lock ingest takes too). */
export async function withLockedRun<T>(db: Db, runId: string, fn: (client: PoolClient, run: LockedRun) => Promise<T>): Promise<T> {
  return withTransaction(db, async (client) => {
    const run = await lockRunForMlflow(client, runId);
    if (!run) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
    return fn(client, run);
  });
}
