import type { Pool, PoolClient } from "../shared/pg-types";

// Key ids never change once created, so they are cached per database (pool) for the hot path.
const cache = new WeakMap<Pool, Map<string, number>>();

function cacheOf(pool: Pool): Map<string, number> {
  let m = cache.get(pool);
  if (!m) cache.set(pool, (m = new Map()));
  return m;
}

/**
 * Ids of the project's metric keys, creating the missing ones on `client` (inside the caller's
 * transaction). Call `commit()` once that transaction committed, to cache what it created.
 */
export async function resolveMetricKeys(
  pool: Pool,
  client: PoolClient,
  projectId: string,
  names: string[],
): Promise<{ ids: Map<string, number>; commit(): void }> {
  const known = cacheOf(pool);
  const ids = new Map<string, number>();
  const missing: string[] = [];
  for (const name of names) {
    const id = known.get(`${projectId}\u0000${name}`);
    if (id === undefined) missing.push(name);
    else ids.set(name, id);
  }
  if (missing.length > 0) {
    await client.query(
      `INSERT INTO "MetricKey" ("projectId", "name") SELECT $1, unnest($2::text[]) ON CONFLICT ("projectId", "name") DO NOTHING`,
      [projectId, missing],
    );
    const { rows } = await client.query<{ id: number; name: string }>(
      `SELECT "id", "name" FROM "MetricKey" WHERE "projectId" = $1 AND "name" = ANY($2::text[])`,
      [projectId, missing],
    );
    for (const r of rows) ids.set(r.name, r.id);
  }
  return {
    ids,
    commit() {
      for (const name of missing) known.set(`${projectId}\u0000${name}`, ids.get(name)!);
    },
  };
}
