import { from as copyFrom } from "pg-copy-streams";
import type { PoolClient } from "../shared/pg-types";

/**
 * Runs `COPY … FROM STDIN` with `text` (COPY's text format) on the caller's connection, inside its
 * transaction. COPY writes heap pages in bulk and logs WAL per page where INSERT … SELECT unnest(…)
 * goes row by row: for a 10,000-point batch it is about twice as fast.
 */
export async function copyText(client: PoolClient, sql: string, text: string): Promise<void> {
  const stream = client.query(copyFrom(sql));
  await new Promise<void>((resolve, reject) => {
    stream.on("finish", resolve);
    stream.on("error", reject);
    stream.end(text);
  });
}

/** ISO text of epoch milliseconds, formatting runs of equal timestamps once. */
export function isoFormatter(): (ms: number) => string {
  let lastMs = NaN;
  let last = "";
  return (ms) => {
    if (ms !== lastMs) {
      lastMs = ms;
      last = new Date(ms).toISOString();
    }
    return last;
  };
}

export const copyNullable = (v: number | null) => (v === null ? "\\N" : String(v));
