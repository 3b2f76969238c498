import type { Run, RunUpdateInput } from "@finetrack/contracts";
import { updateRunFields, type Db, type ResolvedRun } from "@finetrack/db";
import { getRun } from "./get-run";
import { getRunProjects } from "./get-run-project";
import { withMergedRunJson } from "./merge-run-json";

/**
 * Sets name, tags and notes; merges config and summary keys into what is stored, atomically and
 * within the size limit. `known`: runs the request already resolved.
 */
export async function updateRun(db: Db, input: RunUpdateInput, known?: Map<string, ResolvedRun>): Promise<Run> {
  const runs = await getRunProjects(db, [input.id], {}, known);
  await withMergedRunJson(db, runs.get(input.id)!, input, (client, merged) =>
    updateRunFields(client, runs.get(input.id)!.seq, { name: input.name ?? null, tags: input.tags ? [...new Set(input.tags)] : null, notes: input.notes ?? null, ...merged }),
  );
  return getRun(db, input.id, runs);
}
