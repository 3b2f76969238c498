import type { Run, RunEndStatus } from "@finetrack/contracts";
import { finishRunFields, type Db, type ResolvedRun } from "@finetrack/db";
import { getRun } from "./get-run";
import { getRunProjects } from "./get-run-project";
import { withMergedRunJson } from "./merge-run-json";

/** Sets the final status and merges the final summary. Repeating it (a retry) is harmless. `known`: runs the request already resolved. */
export async function finishRun(
  db: Db,
  input: { id: string; status?: RunEndStatus; summary?: Record<string, unknown>; error?: string },
  known?: Map<string, ResolvedRun>,
): Promise<Run> {
  const runs = await getRunProjects(db, [input.id], {}, known);
  await withMergedRunJson(db, runs.get(input.id)!, { summary: input.summary }, (client, merged) =>
    finishRunFields(client, runs.get(input.id)!.seq, { status: input.status ?? "finished", summary: merged.summary, error: input.error ?? null }),
  );
  return getRun(db, input.id, runs);
}
