import type pg from "pg";
import type { Queryable } from "./runs";

/** A stored point as MLflow sees it: its MLflow step (from MlflowStepRange, else the stored step) and time in ms, as text (int8). */
export type MlflowPointRow = { stored: number; step: string; value: number; time: string };

/** A page of one metric's points with a stored step above `afterStep`, in stored-step order. */
export async function readMlflowHistoryPage(db: Queryable, runId: string, key: string, afterStep: number, limit: number): Promise<MlflowPointRow[]> {
  const { rows } = await db.query<MlflowPointRow>(
    `SELECT p."step" AS "stored", COALESCE(m."mlflowStep", p."step")::text AS "step", p."value", (extract(epoch from p."time") * 1000)::int8::text AS "time"
     FROM "Run" r
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = $2
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id"
     LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = $2 AND p."step" BETWEEN m."fromStep" AND m."toStep"
     WHERE r."id" = $1 AND p."step" > $3
     ORDER BY p."step" LIMIT $4`,
    [runId, key, afterStep, limit],
  );
  return rows;
}

/** The points at (run id, key, stored step) triples, each with its MLflow step (a run's latest metrics). */
export async function readMlflowPointsAt(db: Queryable, at: { runIds: string[]; keys: string[]; steps: number[] }): Promise<(Omit<MlflowPointRow, "stored"> & { runId: string; key: string })[]> {
  const { rows } = await db.query<Omit<MlflowPointRow, "stored"> & { runId: string; key: string }>(
    `SELECT u.run_id AS "runId", u.key, p."value", COALESCE(m."mlflowStep", p."step")::text AS "step", (extract(epoch from p."time") * 1000)::int8::text AS "time"
     FROM unnest($1::text[], $2::text[], $3::int[]) AS u(run_id, key, step)
     JOIN "Run" r ON r."id" = u.run_id
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = u.key
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id" AND p."step" = u.step
     LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = u.key AND u.step BETWEEN m."fromStep" AND m."toStep"`,
    [at.runIds, at.keys, at.steps],
  );
  return rows;
}

/** What the MLflow API edits under the run's row lock. */
export type LockedRun = {
  id: string; seq: number; projectId: string; name: string; notes: string; tags: string[];
  parentRunId: string | null; system: unknown; datasetId: string | null; deletedAt: Date | null;
};

/** Inside a transaction: the run's row lock (the lock ingest takes too) and the columns MLflow edits; null when missing. */
export async function lockRunForMlflow(client: pg.PoolClient, runId: string): Promise<LockedRun | null> {
  const { rows } = await client.query<LockedRun>(
    `SELECT "id", "seq", "projectId", "name", "notes", "tags", "parentRunId", "system", "datasetId", "deletedAt" FROM "Run" WHERE "id" = $1 FOR UPDATE`,
    [runId],
  );
  return rows[0] ?? null;
}
