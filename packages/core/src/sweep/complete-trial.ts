import type { Db } from "@finetrack/db";
import type PgBoss from "pg-boss";
import type { PoolClient } from "../shared/pg-types";
import { withTransaction } from "../shared/with-transaction";
import { enqueueTrials } from "./create-sweep";
import { finishSweepIfDone, loadSweep, lockTrial, type ProjectRef, type SweepRow, type TrialRow } from "./load-sweep";
import { touchAgent } from "./register-agent";
import { onClient, sweepQueue } from "./sweep-queue";
import { queueName } from "./sweep-spec";
import { suggestTrials } from "./suggest-trials";

export type CompletedState = "finished" | "stopped_early" | "cancelled";

/**
 * The trial's program exited 0 (or was stopped on the server's word): the job completes and the
 * trial ends once. A second report of the same attempt, or one from an agent whose attempt was
 * taken away, is a CONFLICT, so a finished trial is never counted (or run) twice.
 */
export async function completeTrial(db: Db, project: ProjectRef, input: { sweepId: string; trialId: string; attempt: number; agentId: string }): Promise<{ state: CompletedState; objective: number | null }> {
  const boss = await sweepQueue(db);
  return withTransaction(db, async (client) => {
    const sweep = await loadSweep(client, project, input.sweepId, "FOR UPDATE");
    const trial = await lockTrial(client, sweep.id, input.trialId, input.attempt);
    const queue = queueName(sweep.id);
    const state: CompletedState = trial.stopReason ? "stopped_early" : sweep.status === "cancelled" ? "cancelled" : "finished";
    if (state === "cancelled") {
      // Back to the queue's cancelled jobs, so resuming the sweep runs it again.
      await boss.cancel(queue, trial.jobId!, { db: onClient(client) });
      await client.query(`UPDATE "Trial" SET "state" = 'cancelled', "agentId" = NULL, "heartbeatAt" = NULL WHERE "id" = $1`, [trial.id]);
      return { state, objective: null };
    }
    await boss.complete(queue, trial.jobId!, { runId: trial.runId, state }, { db: onClient(client) });
    const objective = await joinRun(client, sweep, trial);
    await client.query(`UPDATE "Trial" SET "state" = $2, "objective" = $3, "finishedAt" = now(), "heartbeatAt" = now() WHERE "id" = $1`, [trial.id, state, objective]);
    await client.query(`UPDATE "Agent" SET "trialsDone" = "trialsDone" + 1 WHERE "id" = $1`, [input.agentId]);
    await touchAgent(client, sweep.id, input.agentId);
    if (sweep.spec.method === "tpe") await suggestNext(client, boss, sweep);
    await finishSweepIfDone(client, sweep.id);
    return { state, objective };
  });
}

/**
 * The attempt's run joins the sweep: the sweep's group when the program named none, and the trial's
 * values as config keys it did not log itself (so a plain script's runs fill the ablation matrix).
 * Returns the objective: the best value of the sweep's metric in that run.
 */
async function joinRun(client: PoolClient, sweep: SweepRow, trial: TrialRow): Promise<number | null> {
  const stat = sweep.spec.metric.goal === "maximize" ? "max" : "min";
  const { rows } = await client.query(
    `UPDATE "Run" SET "group" = COALESCE("group", $3), "config" = $4::jsonb || "config"
      WHERE "id" = $1 AND "projectId" = $2
      RETURNING ("metricStats"->$5->>$6)::float8 AS objective`,
    [trial.runId, sweep.projectId, sweep.group, JSON.stringify(trial.assignment), sweep.spec.metric.name, stat],
  );
  const objective = rows[0]?.objective;
  return typeof objective === "number" && Number.isFinite(objective) ? objective : null;
}

/** TPE: one new suggestion per result, from every finished trial so far, until `count` trials exist. */
async function suggestNext(client: PoolClient, boss: PgBoss, sweep: SweepRow): Promise<void> {
  const { rows } = await client.query(`SELECT "assignment", "objective", "state" FROM "Trial" WHERE "sweepId" = $1`, [sweep.id]);
  if (rows.length >= sweep.trialCount) return;
  const history = rows.filter((r) => r.state === "finished" && r.objective !== null).map((r) => ({ assignment: r.assignment, loss: r.objective as number }));
  await enqueueTrials(client, boss, sweep.id, sweep.spec, suggestTrials(sweep.spec, history, 1, rows.length), rows.length);
}
