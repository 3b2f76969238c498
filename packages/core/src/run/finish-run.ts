import type { Run, RunEndStatus } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getRun } from "./get-run";
import { withMergedRunJson } from "./merge-run-json";

/** Sets the final status and merges the final summary. Repeating it (a retry) is harmless. */
export async function finishRun(
  db: Db,
  input: { id: string; status?: RunEndStatus; summary?: Record<string, unknown>; error?: string },
): Promise<Run> {
  await withMergedRunJson(db, input.id, { summary: input.summary }, (client, merged) =>
    client.query(
      `UPDATE "Run" SET "status" = $2::"RunStatus", "finishedAt" = now(), "heartbeatAt" = now(),
         "summary" = COALESCE($3::jsonb, "summary"), "error" = COALESCE($4, "error"), "updatedAt" = now()
       WHERE "id" = $1`,
      [input.id, input.status ?? "finished", merged.summary, input.error ?? null],
    ),
  );
  return getRun(db, input.id);
}
