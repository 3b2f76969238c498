import type { Db } from "@finetrack/db";
import { withTransaction } from "../shared/with-transaction";
import { loadSweep, lockTrial, type ProjectRef } from "./load-sweep";
import { recordFailure, releaseTrial } from "./record-failure";
import { touchAgent } from "./register-agent";
import { sweepQueue } from "./sweep-queue";

/**
 * The trial's program failed (`error` kept, bounded retries by pg-boss), or the agent lets go of it
 * (`release`: Ctrl-C; back to the queue at once, no retry used).
 */
export async function failTrial(
  db: Db,
  project: ProjectRef,
  input: { sweepId: string; trialId: string; attempt: number; agentId: string; error: string; release?: boolean },
): Promise<{ state: "queued" | "failed" }> {
  const boss = await sweepQueue(db);
  return withTransaction(db, async (client) => {
    const sweep = await loadSweep(client, project, input.sweepId, "FOR UPDATE");
    const trial = await lockTrial(client, sweep.id, input.trialId, input.attempt);
    await touchAgent(client, sweep.id, input.agentId, input.release);
    if (input.release) {
      await releaseTrial(client, boss, sweep.spec, trial);
      return { state: "queued" as const };
    }
    return { state: await recordFailure(client, boss, trial, input.error) };
  });
}
