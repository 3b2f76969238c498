import { MAX_SERIES_RUNS, ProjectSlug, RunFieldRef, RunFilter, RunId } from "@finetrack/contracts";
import { listRunRows, MAX_TABLE_COLUMNS, MAX_TABLE_ROWS } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const AnalysisRunRowsInput = z.object({
  project: ProjectSlug,
  filter: RunFilter.optional(),
  /** Only these runs (the compare view's selection), in one query instead of one per run. */
  ids: z.array(RunId).min(1, { error: "expected at least one run id" }).max(MAX_SERIES_RUNS, { error: `expected at most ${MAX_SERIES_RUNS} run ids` }).optional(),
  limit: z.number().int().min(1).max(MAX_TABLE_ROWS, { error: `expected at most ${MAX_TABLE_ROWS}` }).optional(),
  /** Only these config / summary / metric columns (the runs table's visible ones), plus the catalog of all. */
  columns: z.array(RunFieldRef).max(MAX_TABLE_COLUMNS, { error: `expected at most ${MAX_TABLE_COLUMNS} columns` }).optional(),
  /** Also the runs table's default columns (named in the answer's `defaultColumns`). */
  defaults: z.boolean().optional(),
});
export type AnalysisRunRowsInput = z.infer<typeof AnalysisRunRowsInput>;

/** Every run matching a filter, column-wise: what the dashboard's runs table sorts and groups. */
export const runRows = readProcedure({ project: "project" }).input(AnalysisRunRowsInput).query(async ({ ctx, input }) => {
  return listRunRows(ctx.db, input, await ctx.access.project(input.project));
});
