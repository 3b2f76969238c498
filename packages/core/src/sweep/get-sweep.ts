import type { Db } from "@finetrack/db";
import { loadSweep, type ProjectRef } from "./load-sweep";
import type { SweepSpec, TrialState } from "./sweep-spec";

export interface SweepTrial {
  id: string;
  index: number;
  state: TrialState;
  assignment: Record<string, unknown>;
  attempt: number;
  agentId: string | null;
  runId: string | null;
  runIds: string[];
  objective: number | null;
  stopReason: string | null;
  error: string | null;
  errors: { attempt: number; agentId: string | null; runId: string | null; error: string; at: string }[];
  heartbeatAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface SweepAgent {
  id: string;
  host: string;
  pid: number | null;
  concurrency: number;
  trialsDone: number;
  startedAt: Date;
  heartbeatAt: Date;
  stoppedAt: Date | null;
}

export interface SweepDetail {
  id: string;
  project: string;
  name: string;
  group: string;
  method: string;
  status: string;
  spec: SweepSpec;
  trialCount: number;
  createdAt: Date;
  finishedAt: Date | null;
  counts: Record<TrialState, number>;
  trials: SweepTrial[];
  agents: SweepAgent[];
  best: SweepTrial | null;
}

export const MAX_LISTED_TRIALS = 10_000;

/** A sweep with its trials (by index), agents (newest first) and the best trial by the sweep's metric. */
export async function getSweep(db: Db, project: ProjectRef, sweepId: string): Promise<SweepDetail> {
  const sweep = await loadSweep(db.pool, project, sweepId);
  const [trials, agents] = await Promise.all([
    db.pool.query(
      `SELECT "id", "index", "state", "assignment", "attempt", "agentId", "runId", "runIds", "objective", "stopReason", "error", "errors", "heartbeatAt", "startedAt", "finishedAt"
         FROM "Trial" WHERE "sweepId" = $1 ORDER BY "index" LIMIT ${MAX_LISTED_TRIALS}`,
      [sweep.id],
    ),
    db.pool.query(`SELECT "id", "host", "pid", "concurrency", "trialsDone", "startedAt", "heartbeatAt", "stoppedAt" FROM "Agent" WHERE "sweepId" = $1 ORDER BY "startedAt" DESC LIMIT 500`, [sweep.id]),
  ]);
  const list = trials.rows as SweepTrial[];
  const counts = { queued: 0, running: 0, finished: 0, failed: 0, stopped_early: 0, cancelled: 0 } as Record<TrialState, number>;
  for (const t of list) counts[t.state]++;
  const sign = sweep.spec.metric.goal === "maximize" ? -1 : 1;
  const best = list.filter((t) => t.state === "finished" && t.objective !== null).sort((a, b) => sign * (a.objective! - b.objective!))[0] ?? null;
  const { projectId: _projectId, ...shown } = sweep;
  return { ...shown, project: project.slug, counts, trials: list, agents: agents.rows as SweepAgent[], best };
}
