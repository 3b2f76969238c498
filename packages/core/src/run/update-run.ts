import type { Run, RunUpdateInput } from "@finetrack/contracts";
import { updateRunFields, type Db, type ResolvedRun } from "@finetrack/db";
import { getRun } from "./get-run";
import { withMergedRunJson } from "./merge-run-json";

/**
 * Sets name, tags and notes; merges config and summary keys into what is stored, atomically and
 * within the size limit. `known`: runs the request already resolved.
 */
export async function updateRun(db: Db, input: RunUpdateInput, known?: Map<string, ResolvedRun>): Promise<Run> {
  await withMergedRunJson(db, input.id, input, (client, merged) =>
    updateRunFields(client, input.id, { name: input.name ?? null, tags: input.tags ? [...new Set(input.tags)] : null, notes: input.notes ?? null, ...merged }),
  );
  return getRun(db, input.id, known);
}
