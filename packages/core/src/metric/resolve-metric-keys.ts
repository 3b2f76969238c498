import { createMetricKeys } from "@finetrack/db";
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
    for (const r of await createMetricKeys(client, projectId, missing)) ids.set(r.name, r.id);
  }
  return {
    ids,
    commit() {
      for (const name of missing) known.set(`${projectId}\u0000${name}`, ids.get(name)!);
    },
  };
}
