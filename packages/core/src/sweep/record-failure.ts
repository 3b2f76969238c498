import { randomUUID } from "node:crypto";
import type PgBoss from "pg-boss";
import type { PoolClient } from "../shared/pg-types";
import { finishSweepIfDone, type TrialRow } from "./load-sweep";
import { onClient } from "./sweep-queue";
import { MAX_SWEEP_TRIALS, queueName, type SweepSpec } from "./sweep-spec";

/**
 * A failed attempt: pg-boss's `fail` decides retry (back in the queue, any agent) or failed (retries
 * used up); the trial follows it and keeps every attempt's error.
 */
export async function recordFailure(client: PoolClient, boss: PgBoss, trial: TrialRow, error: string): Promise<"queued" | "failed"> {
  const queue = queueName(trial.sweepId);
  const db = onClient(client);
  await boss.fail(queue, trial.jobId!, { error }, { db });
  const job = await boss.getJobById(queue, trial.jobId!, { db, includeArchive: true });
  const state = job?.state === "retry" || job?.state === "created" ? "queued" : "failed";
  await client.query(
    `UPDATE "Trial" SET "state" = $2::text, "error" = $3::text, "agentId" = NULL, "heartbeatAt" = NULL,
            "finishedAt" = CASE WHEN $2::text = 'failed' THEN now() ELSE NULL END,
            "errors" = "errors" || jsonb_build_array(jsonb_build_object('attempt', "attempt", 'agentId', "agentId", 'runId', "runId", 'error', $3::text, 'at', now()))
      WHERE "id" = $1`,
    [trial.id, state, error],
  );
  if (state === "failed") await finishSweepIfDone(client, trial.sweepId);
  return state;
}

/**
 * An agent let go of its trial (Ctrl-C): it goes back to the queue at once and the attempt is no
 * failure, so the active job is replaced by a fresh one with the retries it had left.
 */
export async function releaseTrial(client: PoolClient, boss: PgBoss, spec: SweepSpec, trial: TrialRow): Promise<void> {
  const queue = queueName(trial.sweepId);
  const db = onClient(client);
  const { rows } = await client.query(`SELECT jsonb_array_length("errors")::int AS failures, "index" FROM "Trial" WHERE "id" = $1`, [trial.id]);
  const jobId = randomUUID();
  await boss.deleteJob(queue, trial.jobId!, { db });
  await boss.insert([{ id: jobId, name: queue, data: { trialId: trial.id }, priority: MAX_SWEEP_TRIALS - rows[0].index, retryLimit: Math.max(0, spec.retries - rows[0].failures), retryDelay: 0, expireInSeconds: 23 * 3600 }], { db });
  await client.query(`UPDATE "Trial" SET "state" = 'queued', "jobId" = $2, "agentId" = NULL, "heartbeatAt" = NULL, "stopReason" = NULL WHERE "id" = $1`, [trial.id, jobId]);
}
