import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import type { PoolClient } from "../shared/pg-types";
import { withTransaction } from "../shared/with-transaction";

export type LockedRun = {
  id: string;
  seq: number;
  projectId: string;
  name: string;
  notes: string;
  tags: string[];
  parentRunId: string | null;
  system: unknown;
  datasetId: string | null;
  deletedAt: Date | null;
};

/** Runs `fn` in a transaction holding the run's row lock (the lock ingest takes too). */
export async function withLockedRun<T>(db: Db, runId: string, fn: (client: PoolClient, run: LockedRun) => Promise<T>): Promise<T> {
  return withTransaction(db, async (client) => {
    const { rows } = await client.query<LockedRun>(
      `SELECT "id", "seq", "projectId", "name", "notes", "tags", "parentRunId", "system", "datasetId", "deletedAt" FROM "Run" WHERE "id" = $1 FOR UPDATE`,
      [runId],
    );
    if (!rows[0]) throw new AppError("NOT_FOUND", `Run with id=${runId} not found`, { field: "run_id" });
    return fn(client, rows[0]);
  });
}
