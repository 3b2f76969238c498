import type { Run, RunEndStatus } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { toJsonSafe } from "../shared/json";
import { getRun } from "./get-run";

/** Sets the final status and merges the final summary. Repeating it (a retry) is harmless. */
export async function finishRun(
  db: Db,
  input: { id: string; status?: RunEndStatus; summary?: Record<string, unknown>; error?: string },
): Promise<Run> {
  const { rowCount } = await db.pool.query(
    `UPDATE "Run" SET "status" = $2::"RunStatus", "finishedAt" = now(), "heartbeatAt" = now(),
       "summary" = "summary" || $3::jsonb, "error" = COALESCE($4, "error"), "updatedAt" = now()
     WHERE "id" = $1`,
    [input.id, input.status ?? "finished", JSON.stringify(toJsonSafe(input.summary ?? {})), input.error ?? null],
  );
  if (rowCount === 0) throw new AppError("NOT_FOUND", `run '${input.id}' not found`, { field: "id" });
  return getRun(db, input.id);
}
