import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { withTransaction } from "../shared/with-transaction";
import { loadSweep, type ProjectRef } from "./load-sweep";
import { onClient, sweepQueue } from "./sweep-queue";
import { queueName } from "./sweep-spec";

/**
 * cancel: queued trials leave the queue (pg-boss cancel) and running ones are told to stop at their
 * next heartbeat. resume: cancelled trials go back to the queue (pg-boss resume).
 */
export async function setSweepStatus(db: Db, project: ProjectRef, input: { sweepId: string; action: "cancel" | "resume" }): Promise<{ status: string; trials: number }> {
  const boss = await sweepQueue(db);
  return withTransaction(db, async (client) => {
    const sweep = await loadSweep(client, project, input.sweepId, "FOR UPDATE");
    const from = input.action === "cancel" ? "queued" : "cancelled";
    if (input.action === "cancel" && sweep.status !== "running") throw new AppError("CONFLICT", `sweep '${sweep.id}' is ${sweep.status}; only a running sweep can be cancelled`, { field: "sweepId" });
    if (input.action === "resume" && sweep.status !== "cancelled") throw new AppError("CONFLICT", `sweep '${sweep.id}' is ${sweep.status}; only a cancelled sweep can be resumed`, { field: "sweepId" });
    const { rows } = await client.query(`UPDATE "Trial" SET "state" = $2 WHERE "sweepId" = $1 AND "state" = $3 RETURNING "jobId"`, [sweep.id, input.action === "cancel" ? "cancelled" : "queued", from]);
    const jobIds = rows.map((r) => r.jobId as string);
    const db2 = { db: onClient(client) };
    if (jobIds.length) await (input.action === "cancel" ? boss.cancel(queueName(sweep.id), jobIds, db2) : boss.resume(queueName(sweep.id), jobIds, db2));
    const status = input.action === "cancel" ? "cancelled" : "running";
    await client.query(`UPDATE "Sweep" SET "status" = $2, "updatedAt" = now() WHERE "id" = $1`, [sweep.id, status]);
    return { status, trials: jobIds.length };
  });
}
