import type { Db } from "@finetrack/db";
import type { ProjectRef } from "./load-sweep";

export interface SweepSummary {
  id: string;
  name: string;
  group: string;
  method: string;
  status: string;
  trialCount: number;
  done: number;
  running: number;
  createdAt: Date;
}

/** A project's sweeps, newest first (at most 200). */
export async function listSweeps(db: Db, project: ProjectRef): Promise<SweepSummary[]> {
  const { rows } = await db.pool.query(
    `SELECT s."id", s."name", s."group", s."method", s."status", s."trialCount", s."createdAt",
            count(t.*) FILTER (WHERE t."state" IN ('finished', 'failed', 'stopped_early'))::int AS done,
            count(t.*) FILTER (WHERE t."state" = 'running')::int AS running
       FROM "Sweep" s LEFT JOIN "Trial" t ON t."sweepId" = s."id"
      WHERE s."projectId" = $1 GROUP BY s."id" ORDER BY s."createdAt" DESC LIMIT 200`,
    [project.id],
  );
  return rows as SweepSummary[];
}
