import type { Db } from "@finetrack/db";
import { newRunId } from "../shared/secrets";
import { loadSweep, type ProjectRef } from "./load-sweep";
import type { SweepSpec } from "./sweep-spec";

export interface RegisteredAgent {
  agentId: string;
  sweep: { id: string; name: string; group: string; status: string; spec: SweepSpec };
}

/** An agent says hello: it gets an id for its claims and the sweep's spec (command or trainer config). */
export async function registerAgent(db: Db, project: ProjectRef, input: { sweepId: string; host: string; pid?: number; concurrency: number }): Promise<RegisteredAgent> {
  const sweep = await loadSweep(db.pool, project, input.sweepId);
  const agentId = `ag-${newRunId().slice(0, 8)}`;
  await db.pool.query(`INSERT INTO "Agent" ("id", "sweepId", "host", "pid", "concurrency") VALUES ($1, $2, $3, $4, $5)`, [agentId, sweep.id, input.host, input.pid ?? null, input.concurrency]);
  return { agentId, sweep: { id: sweep.id, name: sweep.name, group: sweep.group, status: sweep.status, spec: sweep.spec } };
}

/** Notes that the agent is alive (every claim and heartbeat), or that it stopped. */
export async function touchAgent(db: Pick<Db["pool"], "query">, sweepId: string, agentId: string, stopped = false): Promise<void> {
  await db.query(`UPDATE "Agent" SET "heartbeatAt" = now()${stopped ? `, "stoppedAt" = now()` : ""} WHERE "id" = $1 AND "sweepId" = $2`, [agentId, sweepId]);
}
