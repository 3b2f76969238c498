import type { Db } from "@finetrack/db";
import type PgBoss from "pg-boss";
import { withTransaction } from "../shared/with-transaction";
import type { TrialRow } from "./load-sweep";
import { recordFailure } from "./record-failure";

/**
 * Trials whose agent has not heartbeated within the sweep's `heartbeatTimeoutS` (machine died,
 * kill -9, network gone) fail this attempt, so pg-boss puts them back for another agent. SKIP LOCKED:
 * several server processes can run this at once, and a trial being reported right now is left alone.
 */
export async function requeueStaleTrials(db: Db, boss: PgBoss): Promise<number> {
  return withTransaction(db, async (client) => {
    const { rows } = await client.query(
      `SELECT t."id", t."sweepId", t."index", t."assignment", t."state", t."jobId", t."attempt", t."agentId", t."runId", t."error", t."stopReason",
              extract(epoch FROM now() - t."heartbeatAt")::float8 AS "silentS"
         FROM "Trial" t JOIN "Sweep" s ON s."id" = t."sweepId"
        WHERE t."state" = 'running'
          AND t."heartbeatAt" < now() - make_interval(secs => COALESCE((s."config"->>'heartbeatTimeoutS')::float8, 60))
        ORDER BY t."heartbeatAt" LIMIT 100
        FOR UPDATE OF t SKIP LOCKED`,
    );
    for (const row of rows as (TrialRow & { silentS: number })[]) {
      await recordFailure(client, boss, row, `agent ${row.agentId} stopped heartbeating (silent for ${Math.round(row.silentS)} s) during attempt ${row.attempt}`);
    }
    return rows.length;
  });
}
