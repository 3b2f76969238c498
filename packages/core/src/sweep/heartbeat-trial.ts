import type { Db } from "@finetrack/db";
import { withTransaction } from "../shared/with-transaction";
import { loadSweep, lockTrial, type ProjectRef } from "./load-sweep";
import { evaluateEarlyStop } from "./evaluate-early-stop";
import { touchAgent } from "./register-agent";

export interface TrialHeartbeat {
  /** Stop the trial's program now (early termination, or the sweep was cancelled), then report it with `complete`. */
  stop: boolean;
  reason: string | null;
}

/** An agent's trial is alive. CONFLICT when the attempt was taken away (missed heartbeats): the agent must stop it. */
export async function heartbeatTrial(db: Db, project: ProjectRef, input: { sweepId: string; trialId: string; attempt: number; agentId: string }): Promise<TrialHeartbeat> {
  return withTransaction(db, async (client) => {
    const sweep = await loadSweep(client, project, input.sweepId, "FOR SHARE");
    const trial = await lockTrial(client, sweep.id, input.trialId, input.attempt);
    await client.query(`UPDATE "Trial" SET "heartbeatAt" = now() WHERE "id" = $1`, [trial.id]);
    await touchAgent(client, sweep.id, input.agentId);
    if (sweep.status === "cancelled") return { stop: true, reason: "the sweep was cancelled" };
    if (trial.stopReason) return { stop: true, reason: trial.stopReason };
    const decision = await evaluateEarlyStop(client, sweep, trial.id);
    if (!decision?.stop) return { stop: false, reason: null };
    const reason = `stopped early: ${decision.reason}`;
    await client.query(`UPDATE "Trial" SET "stopReason" = $2 WHERE "id" = $1`, [trial.id, reason]);
    return { stop: true, reason };
  });
}
