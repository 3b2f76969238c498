import type { Db } from "@finetrack/db";
import { newRunId } from "../shared/secrets";
import { withTransaction } from "../shared/with-transaction";
import { loadSweep, type ProjectRef } from "./load-sweep";
import { touchAgent } from "./register-agent";
import { onClient, sweepQueue } from "./sweep-queue";
import { queueName } from "./sweep-spec";

export interface ClaimedTrial {
  id: string;
  index: number;
  attempt: number;
  /** The run this attempt must log to (FINETRACK_RUN_ID). */
  runId: string;
  assignment: Record<string, unknown>;
}

/** `done`: nothing left to run, exit. `waiting`: trials are running elsewhere and may come back, ask again. */
export type ClaimResult = { trial: ClaimedTrial; status: "claimed" } | { trial: null; status: "done" | "waiting" | "cancelled" };

/**
 * Hands the next queued trial to an agent: pg-boss's fetch (SKIP LOCKED, so two agents never get the
 * same job) and the trial's new attempt commit in one transaction.
 */
export async function claimTrial(db: Db, project: ProjectRef, input: { sweepId: string; agentId: string }): Promise<ClaimResult> {
  const boss = await sweepQueue(db);
  return withTransaction(db, async (client) => {
    const sweep = await loadSweep(client, project, input.sweepId, "FOR SHARE");
    await touchAgent(client, sweep.id, input.agentId);
    if (sweep.status === "cancelled") return { trial: null, status: "cancelled" };
    if (sweep.status === "finished") return { trial: null, status: "done" };
    const [job] = await boss.fetch<{ trialId: string }>(queueName(sweep.id), { batchSize: 1, db: onClient(client) });
    if (!job) {
      const { rows } = await client.query(
        `SELECT count(*) FILTER (WHERE "state" IN ('queued', 'running'))::int AS open, count(*)::int AS total FROM "Trial" WHERE "sweepId" = $1`,
        [sweep.id],
      );
      return { trial: null, status: rows[0].open > 0 || rows[0].total < sweep.trialCount ? "waiting" : "done" };
    }
    const runId = `${sweep.id}-${newRunId().slice(0, 8)}`;
    const { rows } = await client.query(
      `UPDATE "Trial" SET "state" = 'running', "attempt" = "attempt" + 1, "agentId" = $2, "runId" = $3::text, "runIds" = array_append("runIds", $3::text),
              "heartbeatAt" = now(), "startedAt" = now(), "stopReason" = NULL
        WHERE "id" = $1 AND "sweepId" = $4 RETURNING "id", "index", "attempt", "runId", "assignment"`,
      [job.data.trialId, input.agentId, runId, sweep.id],
    );
    return { trial: rows[0] as ClaimedTrial, status: "claimed" };
  });
}
