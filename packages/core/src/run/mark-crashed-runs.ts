import type { Db } from "@finetrack/db";

/** Running runs silent for longer than `timeoutMs` become crashed; returns their ids. */
export async function markCrashedRuns(db: Db, options: { timeoutMs: number; now?: Date }): Promise<string[]> {
  const now = options.now ?? new Date();
  const { rows } = await db.pool.query<{ id: string }>(
    `UPDATE "Run" SET "status" = 'crashed', "finishedAt" = COALESCE("heartbeatAt", "startedAt", "createdAt"), "updatedAt" = now()
     WHERE "status" = 'running' AND COALESCE("heartbeatAt", "startedAt", "createdAt") < $1
     RETURNING "id"`,
    [new Date(now.getTime() - options.timeoutMs)],
  );
  return rows.map((r) => r.id).sort();
}
