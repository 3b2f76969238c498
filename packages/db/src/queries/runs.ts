import type pg from "pg";

/** A pool or a checked-out client (inside a transaction). */
export type Queryable = Pick<pg.Pool, "query"> | pg.PoolClient;

/** What a request needs to know about a run it names: enough to authorize it and reach its points. */
export type ResolvedRun = { id: string; seq: number; projectId: string; status: string };

/**
 * The runs of `ids` in the projects of `projectIds` (undefined: every project), in one round trip:
 * authorization, series, keys, points and ingest all start from these, so a request looks each run
 * up once. Run ids are unique per project, so an id may come back once per project holding it.
 */
export async function resolveRuns(db: Queryable, ids: readonly string[], projectIds?: readonly string[]): Promise<ResolvedRun[]> {
  const select = `SELECT "id", "seq", "projectId", "status"::text AS "status" FROM "Run" WHERE "id" = ANY($1::text[])`;
  const { rows } = projectIds
    ? await db.query<ResolvedRun>(`${select} AND "projectId" = ANY($2::text[])`, [[...new Set(ids)], [...projectIds]])
    : await db.query<ResolvedRun>(select, [[...new Set(ids)]]);
  return rows;
}

/** A run's columns (no metricStats), its dataset's as `dataset_*`, and the first `maxKeys` metric stats with the key count. */
export type RunRecord = {
  id: string; seq: number; projectId: string; name: string; group: string | null; status: string;
  baseModel: string | null; baseModelParams: string | null; datasetId: string | null; method: string | null;
  config: unknown; tags: string[]; notes: string; seed: number | null; system: unknown; summary: unknown;
  error: string | null; parentRunId: string | null; createdAt: Date; startedAt: Date | null; finishedAt: Date | null;
  heartbeatAt: Date | null; updatedAt: Date;
  stats: unknown; statsCount: number;
  dataset: DatasetRecord | null;
};
export type DatasetRecord = {
  id: string; projectId: string; name: string; version: string; contentHash: string | null; trainSize: number | null;
  validationSize: number | null; testSize: number | null; source: string | null; description: string; createdAt: Date;
};

const DATASET_COLUMNS = ["id", "projectId", "name", "version", "contentHash", "trainSize", "validationSize", "testSize", "source", "description", "createdAt"] as const;

/** One run with its dataset and a bounded page of its metric stats (byte order of key names), in one round trip. */
export async function readRunRecord(db: Queryable, seq: number, maxKeys: number): Promise<RunRecord | null> {
  return (await readRuns(db, `r."seq" = $1`, [seq, maxKeys]))[0] ?? null;
}

/** The same for several runs by seq (in no particular order; missing ones are absent). */
export async function readRunRecords(db: Queryable, seqs: number[], maxKeys: number): Promise<RunRecord[]> {
  return readRuns(db, `r."seq" = ANY($1::int[])`, [seqs, maxKeys]);
}

async function readRuns(db: Queryable, where: string, params: [unknown, number]): Promise<RunRecord[]> {
  const { rows } = await db.query<Record<string, unknown>>(
    `SELECT r."id", r."seq", r."projectId", r."name", r."group", r."status"::text AS "status", r."baseModel",
       r."baseModelParams"::text AS "baseModelParams", r."datasetId", r."method", r."config", r."tags", r."notes", r."seed",
       r."system", r."summary", r."error", r."parentRunId", r."createdAt", r."startedAt", r."finishedAt", r."heartbeatAt", r."updatedAt",
       (SELECT jsonb_object_agg(e.k, e.v) FROM (SELECT k, v FROM jsonb_each(r."metricStats") AS x(k, v) ORDER BY k COLLATE "C" LIMIT $2) e) AS "stats",
       (SELECT count(*)::int FROM jsonb_object_keys(r."metricStats")) AS "statsCount",
       ${DATASET_COLUMNS.map((c) => `d."${c}" AS "dataset_${c}"`).join(", ")}
     FROM "Run" r LEFT JOIN "Dataset" d ON d."id" = r."datasetId" WHERE ${where}`,
    params,
  );
  return rows.map((row) => {
    const record: Record<string, unknown> = {};
    const dataset: Record<string, unknown> = {};
    for (const [column, value] of Object.entries(row)) {
      if (column.startsWith("dataset_")) dataset[column.slice("dataset_".length)] = value;
      else record[column] = value;
    }
    record.dataset = dataset.id === null ? null : dataset;
    return record as RunRecord;
  });
}

/** Metric key names logged by any of the runs, sorted, at most `limit`. */
export async function listRunMetricKeys(db: Queryable, seqs: number[], limit: number): Promise<string[]> {
  const { rows } = await db.query<{ key: string }>(
    `SELECT DISTINCT jsonb_object_keys("metricStats") AS key FROM "Run" WHERE "seq" = ANY($1::int[]) ORDER BY 1 LIMIT $2`,
    [seqs, limit],
  );
  return rows.map((r) => r.key);
}

/**
 * For a series read: each run's statistics of `keys` only (a run may hold 10,000 keys, ~1.5 MB of
 * them) and the ids of those keys in its project, in one round trip.
 */
export async function readCurveStats(db: Queryable, seqs: number[], keys: string[]): Promise<Map<number, { stats: unknown; keyIds: Record<string, number> | null }>> {
  const { rows } = await db.query<{ seq: number; stats: unknown; keyIds: Record<string, number> | null }>(
    `SELECT r."seq",
       (SELECT jsonb_object_agg(k, r."metricStats" -> k) FROM unnest($2::text[]) AS k WHERE r."metricStats" ? k) AS "stats",
       (SELECT jsonb_object_agg(m."name", m."id") FROM "MetricKey" m WHERE m."projectId" = r."projectId" AND m."name" = ANY($2::text[])) AS "keyIds"
     FROM "Run" r WHERE r."seq" = ANY($1::int[])`,
    [seqs, keys],
  );
  return new Map(rows.map((r) => [r.seq, { stats: r.stats, keyIds: r.keyIds }]));
}

/**
 * Opens the ingest transaction and takes the run's row lock in one round trip (the simple query
 * protocol carries both statements; `seq` is an integer we read ourselves, checked here), so
 * concurrent batches of one run serialize. Returns the run's metricStats; null when it is gone.
 */
export async function beginWithRunLock(client: pg.PoolClient, seq: number): Promise<{ metricStats: unknown } | null> {
  if (!Number.isSafeInteger(seq)) throw new TypeError(`expected an integer run seq, got ${seq}`);
  const results = (await client.query(`BEGIN; SELECT "metricStats" FROM "Run" WHERE "seq" = ${seq} FOR UPDATE`)) as unknown as pg.QueryResult<{ metricStats: unknown }>[];
  return results[1].rows[0] ?? null;
}

/** After a batch: the run's new metricStats, its heartbeat, and a crashed run back to running. */
export async function saveIngestedStats(client: Queryable, seq: number, statsJson: string): Promise<void> {
  await client.query(
    `UPDATE "Run" SET "metricStats" = $2::jsonb, "heartbeatAt" = now(),
       "status" = CASE WHEN "status" = 'crashed' THEN 'running'::"RunStatus" ELSE "status" END
     WHERE "seq" = $1`,
    [seq, statsJson],
  );
}

/** Inside a transaction: the run's row lock, with its config and/or summary when `read` asks (null otherwise); null when missing. */
export async function lockRunJson(client: pg.PoolClient, seq: number, read: { config: boolean; summary: boolean }): Promise<{ config: unknown; summary: unknown } | null> {
  const { rows } = await client.query<{ config: unknown; summary: unknown }>(
    `SELECT ${read.config ? `"config"` : `NULL AS "config"`}, ${read.summary ? `"summary"` : `NULL AS "summary"`} FROM "Run" WHERE "seq" = $1 FOR UPDATE`,
    [seq],
  );
  return rows[0] ?? null;
}

/** run.update: each field given replaces the stored one (config/summary arrive merged, as JSON text); null leaves it. */
export async function updateRunFields(
  db: Queryable,
  seq: number,
  fields: { name: string | null; tags: string[] | null; notes: string | null; config: string | null; summary: string | null },
): Promise<void> {
  await db.query(
    `UPDATE "Run" SET
       "name" = COALESCE($2, "name"),
       "tags" = COALESCE($3::text[], "tags"),
       "notes" = COALESCE($4, "notes"),
       "config" = COALESCE($5::jsonb, "config"),
       "summary" = COALESCE($6::jsonb, "summary"),
       "updatedAt" = now()
     WHERE "seq" = $1`,
    [seq, fields.name, fields.tags, fields.notes, fields.config, fields.summary],
  );
}

/** run.finish: the final status, finish time and heartbeat; summary (merged JSON text) and error when given. */
export async function finishRunFields(db: Queryable, seq: number, fields: { status: string; summary: string | null; error: string | null }): Promise<void> {
  await db.query(
    `UPDATE "Run" SET "status" = $2::"RunStatus", "finishedAt" = now(), "heartbeatAt" = now(),
       "summary" = COALESCE($3::jsonb, "summary"), "error" = COALESCE($4, "error"), "updatedAt" = now()
     WHERE "seq" = $1`,
    [seq, fields.status, fields.summary, fields.error],
  );
}

/** A sign of life; a crashed run goes back to running (its finish time cleared). Null when the run is missing. */
export async function touchRunHeartbeat(db: Queryable, seq: number): Promise<{ id: string; status: string; heartbeatAt: Date } | null> {
  const { rows } = await db.query<{ id: string; status: string; heartbeatAt: Date }>(
    `UPDATE "Run" SET "heartbeatAt" = now(),
       "status" = CASE WHEN "status" = 'crashed' THEN 'running'::"RunStatus" ELSE "status" END,
       "finishedAt" = CASE WHEN "status" = 'crashed' THEN NULL ELSE "finishedAt" END
     WHERE "seq" = $1 RETURNING "id", "status", "heartbeatAt"`,
    [seq],
  );
  return rows[0] ?? null;
}

/** Sets (keeping the first time) or clears `deletedAt`; false when the run is missing. */
export async function setRunDeletedAt(db: Queryable, seq: number, deleted: boolean): Promise<boolean> {
  const { rowCount } = await db.query(`UPDATE "Run" SET "deletedAt" = CASE WHEN $2 THEN COALESCE("deletedAt", now()) END, "updatedAt" = now() WHERE "seq" = $1`, [seq, deleted]);
  return (rowCount ?? 0) > 0;
}

/** A new run's columns; config and system as JSON text (raw SQL, not Prisma: Prisma's JSON input drops a `__proto__` key). */
export type NewRun = {
  id: string; projectId: string; name: string; group: string | null; baseModel: string | null; baseModelParams: string | null;
  datasetId: string | null; method: string | null; configJson: string; tags: string[]; notes: string; seed: number | null;
  systemJson: string; parentRunId: string | null; startedAt: Date;
};

/** Inserts a run (started, beating, at `startedAt`); an id taken in the project throws the unique violation (23505). */
export async function insertRun(db: Queryable, run: NewRun): Promise<ResolvedRun> {
  const { rows } = await db.query<ResolvedRun>(
    `INSERT INTO "Run" ("id", "projectId", "name", "group", "baseModel", "baseModelParams", "datasetId", "method", "config", "tags",
       "notes", "seed", "system", "parentRunId", "startedAt", "heartbeatAt", "updatedAt")
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10::text[], $11, $12, $13::jsonb, $14, $15, $15, $15)
     RETURNING "id", "seq", "projectId", "status"::text AS "status"`,
    [
      run.id, run.projectId, run.name, run.group, run.baseModel, run.baseModelParams, run.datasetId, run.method,
      run.configJson, run.tags, run.notes, run.seed, run.systemJson, run.parentRunId, run.startedAt,
    ],
  );
  return rows[0];
}
