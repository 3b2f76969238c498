import { ProjectSlug } from "@finetrack/contracts";
import { MLFLOW_LIMITS, searchMlflowRuns } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const MlflowSearchRunsInput = z.object({
  projects: z.array(ProjectSlug).min(1, { error: "expected at least one experiment id" }).max(100),
  filter: z.string().max(10_000).optional(),
  order_by: z.array(z.string().max(500)).max(20).optional(),
  max_results: z.number().int().min(1).max(MLFLOW_LIMITS.maxResults).optional(),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  run_view_type: z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"], { error: "expected ACTIVE_ONLY, DELETED_ONLY or ALL" }).optional(),
});

/** runs/search over experiments (projects) the caller may read. */
export const searchRuns = readProcedure("listing").input(MlflowSearchRunsInput).query(async ({ ctx, input }) => {
  const projectIds: string[] = [];
  for (const slug of input.projects) projectIds.push((await ctx.access.project(slug, "experiment_ids")).id);
  return searchMlflowRuns(ctx.db, {
    projectIds,
    filter: input.filter,
    orderBy: input.order_by,
    maxResults: input.max_results,
    offset: input.offset,
    viewType: input.run_view_type,
  });
});
