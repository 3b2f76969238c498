import type { Run, RunUpdateInput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getRun } from "./get-run";
import { withMergedRunJson } from "./merge-run-json";

/** Sets name, tags and notes; merges config and summary keys into what is stored, atomically and within the size limit. */
export async function updateRun(db: Db, input: RunUpdateInput): Promise<Run> {
  await withMergedRunJson(db, input.id, input, (client, merged) =>
    client.query(
      `UPDATE "Run" SET
         "name" = COALESCE($2, "name"),
         "tags" = COALESCE($3::text[], "tags"),
         "notes" = COALESCE($4, "notes"),
         "config" = COALESCE($5::jsonb, "config"),
         "summary" = COALESCE($6::jsonb, "summary"),
         "updatedAt" = now()
       WHERE "id" = $1`,
      [input.id, input.name ?? null, input.tags ? [...new Set(input.tags)] : null, input.notes ?? null, merged.config, merged.summary],
    ),
  );
  return getRun(db, input.id);
}
