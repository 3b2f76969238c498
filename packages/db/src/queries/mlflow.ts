import type pg from "pg";
import type { Queryable } from "./runs";

/** A stored point as MLflow sees it: its MLflow step (from MlflowStepRange, else the stored step) and time in ms, as text (int8). */
export type MlflowPointRow = { stored: number; step: string; value: number; time: string };

/** A page of one metric's points with a stored step above `afterStep`, in stored-step order. */
export async function readMlflowHistoryPage(db: Queryable, seq: number, key: string, afterStep: number, limit: number): Promise<MlflowPointRow[]> {
  const { rows } = await db.query<MlflowPointRow>(
    `SELECT p."step" AS "stored", COALESCE(m."mlflowStep", p."step")::text AS "step", p."value", (extract(epoch from p."time") * 1000)::int8::text AS "time"
     FROM "Run" r
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = $2
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id"
     LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = $2 AND p."step" BETWEEN m."fromStep" AND m."toStep"
     WHERE r."seq" = $1 AND p."step" > $3
     ORDER BY p."step" LIMIT $4`,
    [seq, key, afterStep, limit],
  );
  return rows;
}

/** The points at (run seq, key, stored step) triples, each with its MLflow step (a run's latest metrics). */
export async function readMlflowPointsAt(db: Queryable, at: { runSeqs: number[]; keys: string[]; steps: number[] }): Promise<(Omit<MlflowPointRow, "stored"> & { runSeq: number; key: string })[]> {
  const { rows } = await db.query<Omit<MlflowPointRow, "stored"> & { runSeq: number; key: string }>(
    `SELECT u.run_seq AS "runSeq", u.key, p."value", COALESCE(m."mlflowStep", p."step")::text AS "step", (extract(epoch from p."time") * 1000)::int8::text AS "time"
     FROM unnest($1::int[], $2::text[], $3::int[]) AS u(run_seq, key, step)
     JOIN "Run" r ON r."seq" = u.run_seq
     JOIN "MetricKey" k ON k."projectId" = r."projectId" AND k."name" = u.key
     JOIN "MetricPoint" p ON p."runSeq" = r."seq" AND p."keyId" = k."id" AND p."step" = u.step
     LEFT JOIN "MlflowStepRange" m ON m."runSeq" = r."seq" AND m."key" = u.key AND u.step BETWEEN m."fromStep" AND m."toStep"`,
    [at.runSeqs, at.keys, at.steps],
  );
  return rows;
}

/** What the MLflow API edits under the run's row lock. */
export type LockedRun = {
  id: string; seq: number; projectId: string; name: string; notes: string; tags: string[];
  parentRunId: string | null; system: unknown; datasetId: string | null; deletedAt: Date | null;
};

/** Inside a transaction: the run's row lock (the lock ingest takes too) and the columns MLflow edits; null when missing. */
export async function lockRunForMlflow(client: pg.PoolClient, seq: number): Promise<LockedRun | null> {
  const { rows } = await client.query<LockedRun>(
    `SELECT "id", "seq", "projectId", "name", "notes", "tags", "parentRunId", "system", "datasetId", "deletedAt" FROM "Run" WHERE "seq" = $1 FOR UPDATE`,
    [seq],
  );
  return rows[0] ?? null;
}

/** runs/update: status (null keeps it; running clears the end time, a terminal one sets it), times and name; false when the run is gone. */
export async function updateMlflowRunFields(
  db: Queryable,
  seq: number,
  fields: { status: string | null; endTime: string | null; startTime: string | null; name: string | null },
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE "Run" SET
       "status" = COALESCE($2::"RunStatus", "status"),
       "finishedAt" = CASE WHEN $2::text IS NULL THEN COALESCE($3::timestamptz, "finishedAt")
                           WHEN $2::text = 'running' THEN NULL ELSE COALESCE($3::timestamptz, now()) END,
       "startedAt" = COALESCE($4::timestamptz, "startedAt"),
       "name" = COALESCE($5, "name"),
       "heartbeatAt" = now(), "updatedAt" = now()
     WHERE "seq" = $1`,
    [seq, fields.status, fields.endTime, fields.startTime, fields.name],
  );
  return (rowCount ?? 0) > 0;
}

/** The columns MLflow tags map onto: system.mlflowTags (JSON text), notes, labels, parent run. */
export async function saveMlflowTags(db: Queryable, seq: number, tags: { mlflowTagsJson: string; notes: string; labels: string[]; parentRunId: string | null }): Promise<void> {
  await db.query(
    `UPDATE "Run" SET "system" = jsonb_set("system", '{mlflowTags}', $2::jsonb), "notes" = $3, "tags" = $4::text[], "parentRunId" = $5, "updatedAt" = now() WHERE "seq" = $1`,
    [seq, tags.mlflowTagsJson, tags.notes, tags.labels, tags.parentRunId],
  );
}

/** log-inputs: system.mlflowInputs (JSON text) and the run's dataset when it has none. */
export async function saveMlflowInputs(db: Queryable, seq: number, inputsJson: string, datasetId: string | null): Promise<void> {
  await db.query(
    `UPDATE "Run" SET "system" = jsonb_set("system", '{mlflowInputs}', $2::jsonb), "datasetId" = COALESCE("datasetId", $3), "updatedAt" = now() WHERE "seq" = $1`,
    [seq, inputsJson, datasetId],
  );
}

/** What log-batch reads of the run it holds locked (params, tags and the fields they map onto). */
export type MlflowBatchRun = {
  id: string; name: string; notes: string; tags: string[]; parentRunId: string | null; config: unknown; system: unknown;
  baseModel: string | null; method: string | null; datasetId: string | null; deletedAt: Date | null;
};

export async function readMlflowBatchRun(db: Queryable, seq: number): Promise<MlflowBatchRun | null> {
  const { rows } = await db.query<MlflowBatchRun>(
    `SELECT "id", "name", "notes", "tags", "parentRunId", "config", "system", "baseModel", "method", "datasetId", "deletedAt" FROM "Run" WHERE "seq" = $1`,
    [seq],
  );
  return rows[0] ?? null;
}

/** log-batch's params and tags: config keys added (JSON text), the tag columns, and base model/method/dataset where unset. */
export async function saveMlflowBatchFields(
  db: Queryable,
  seq: number,
  f: { addedConfigJson: string; mlflowTagsJson: string; name: string; notes: string; labels: string[]; parentRunId: string | null; baseModel: string | null; method: string | null; datasetId: string | null },
): Promise<void> {
  await db.query(
    `UPDATE "Run" SET "config" = "config" || $2::jsonb,
       "system" = jsonb_set("system", '{mlflowTags}', $3::jsonb),
       "name" = $4, "notes" = $5, "tags" = $6::text[], "parentRunId" = $7,
       "baseModel" = COALESCE("baseModel", $8), "method" = COALESCE("method", $9), "datasetId" = COALESCE("datasetId", $10),
       "updatedAt" = now()
     WHERE "seq" = $1`,
    [seq, f.addedConfigJson, f.mlflowTagsJson, f.name, f.notes, f.labels, f.parentRunId, f.baseModel, f.method, f.datasetId],
  );
}

/** Which of `ids` are runs of the project. */
export async function findProjectRunIds(db: Queryable, projectId: string, ids: string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(`SELECT "id" FROM "Run" WHERE "id" = ANY($1::text[]) AND "projectId" = $2`, [ids, projectId]);
  return new Set(rows.map((r) => r.id));
}
