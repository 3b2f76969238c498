import type { Db } from "@finetrack/db";
import type { PoolClient } from "./pg-types";

/** Runs `fn` on one pooled connection inside BEGIN … COMMIT; any throw rolls it all back. */
export async function withTransaction<T>(db: Db, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await db.pool.connect();
  try {
    await client.query("BEGIN");
    const result = await fn(client);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
