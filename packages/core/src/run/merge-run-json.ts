import { jsonBytes, MAX_JSON_BYTES, mergeRecords } from "@finetrack/contracts";
import { lockRunJson, type Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { asRecord, toJsonSafe } from "../shared/json";
import type { PoolClient } from "../shared/pg-types";
import { withTransaction } from "../shared/with-transaction";

export type JsonPatch = { config?: Record<string, unknown>; summary?: Record<string, unknown> };

/**
 * Runs `write` in a transaction holding the run's row lock, with config and summary already merged
 * (top-level keys, the sent ones win) as JSON text, or null where nothing was sent. The merged size is
 * checked against MAX_JSON_BYTES here, after merging: each update alone may be small while their sum
 * is not. Keys are data (a null-prototype merge), so `__proto__` or `constructor` merge like any other.
 */
export async function withMergedRunJson<T>(
  db: Db,
  run: { id: string; seq: number },
  patch: JsonPatch,
  write: (client: PoolClient, merged: { config: string | null; summary: string | null }) => Promise<T>,
): Promise<T> {
  return withTransaction(db, async (client) => {
    const stored = await lockRunJson(client, run.seq, { config: !!patch.config, summary: !!patch.summary });
    if (!stored) throw new AppError("NOT_FOUND", `run '${run.id}' not found`, { field: "id" });
    const merged = { config: mergeField(stored.config, patch.config, "config"), summary: mergeField(stored.summary, patch.summary, "summary") };
    return write(client, merged);
  });
}

function mergeField(stored: unknown, sent: Record<string, unknown> | undefined, field: "config" | "summary"): string | null {
  if (!sent) return null;
  const merged = mergeRecords(asRecord(stored), toJsonSafe(sent));
  const bytes = jsonBytes(merged);
  if (bytes > MAX_JSON_BYTES) {
    throw new AppError(
      "BAD_REQUEST",
      `expected at most ${MAX_JSON_BYTES} bytes of JSON after merging into the stored ${field}, got ${bytes}; log large or growing values as metrics or artifacts`,
      { field },
    );
  }
  return JSON.stringify(merged);
}
