import { AppError } from "../shared/app-error";
import type { Pool, PoolClient } from "../shared/pg-types";
import { SweepSpec } from "./sweep-spec";

export type ProjectRef = { id: string; slug: string };

export interface SweepRow {
  id: string;
  projectId: string;
  name: string;
  group: string;
  method: string;
  status: "running" | "cancelled" | "finished";
  spec: SweepSpec;
  trialCount: number;
  createdAt: Date;
  finishedAt: Date | null;
}

/** The sweep of a project, or NOT_FOUND naming both (a sweep of another project answers the same). */
export async function loadSweep(db: Pool | PoolClient, project: ProjectRef, sweepId: string, lock?: "FOR UPDATE" | "FOR SHARE"): Promise<SweepRow> {
  const { rows } = await db.query(
    `SELECT "id", "projectId", "name", "group", "method", "status", "config", "trialCount", "createdAt", "finishedAt"
       FROM "Sweep" WHERE "id" = $1 AND "projectId" = $2 ${lock ?? ""}`,
    [sweepId, project.id],
  );
  if (!rows[0]) throw new AppError("NOT_FOUND", `sweep '${sweepId}' not found in project '${project.slug}'`, { field: "sweepId" });
  const { config, ...rest } = rows[0];
  return { ...rest, spec: SweepSpec.parse(config) };
}

export interface TrialRow {
  id: string;
  sweepId: string;
  index: number;
  assignment: Record<string, unknown>;
  state: string;
  jobId: string | null;
  attempt: number;
  agentId: string | null;
  runId: string | null;
  error: string | null;
  stopReason: string | null;
}

/** The trial under its row lock; a heartbeat or report must name the attempt it was given. */
export async function lockTrial(client: PoolClient, sweepId: string, trialId: string, attempt?: number): Promise<TrialRow> {
  const { rows } = await client.query(
    `SELECT "id", "sweepId", "index", "assignment", "state", "jobId", "attempt", "agentId", "runId", "error", "stopReason"
       FROM "Trial" WHERE "id" = $1 AND "sweepId" = $2 FOR UPDATE`,
    [trialId, sweepId],
  );
  const trial = rows[0] as TrialRow | undefined;
  if (!trial) throw new AppError("NOT_FOUND", `trial '${trialId}' not found in sweep '${sweepId}'`, { field: "trialId" });
  if (attempt !== undefined && (trial.attempt !== attempt || trial.state !== "running")) {
    throw new AppError("CONFLICT", `trial '${trialId}' attempt ${attempt} is no longer running here (it is ${trial.state}, attempt ${trial.attempt}): the server gave it to another agent after missed heartbeats, or the sweep was cancelled; stop it and report nothing`, {
      field: "attempt",
    });
  }
  return trial;
}

/** Marks the sweep finished when no trial is left to run (and TPE has nothing left to suggest). */
export async function finishSweepIfDone(client: PoolClient, sweepId: string): Promise<void> {
  await client.query(
    `UPDATE "Sweep" s SET "status" = 'finished', "finishedAt" = now(), "updatedAt" = now()
      WHERE s."id" = $1 AND s."status" = 'running'
        AND COALESCE((SELECT max(t."index") + 1 FROM "Trial" t WHERE t."sweepId" = s."id"), 0) >= s."trialCount"
        AND NOT EXISTS (SELECT 1 FROM "Trial" t WHERE t."sweepId" = s."id" AND t."state" IN ('queued', 'running'))`,
    [sweepId],
  );
}
