import { MAX_SERIES_POINTS, MAX_STEP } from "@finetrack/contracts";
import { readMlflowHistory } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";
import { MlflowRunId } from "./inputs";

export const MlflowHistoryInput = z.object({
  run_id: MlflowRunId,
  metric_key: z.string({ error: "Missing value for required parameter 'metric_key'." }).min(1).max(250),
  after_step: z.number().int().min(-1).max(MAX_STEP).default(-1),
  limit: z.number().int().min(1).max(MAX_SERIES_POINTS).default(MAX_SERIES_POINTS),
});

/** metrics/get-history, a page at a time. */
export const history = readProcedure({ runs: "run_id" }).input(MlflowHistoryInput).query(async ({ ctx, input }) => {
  return readMlflowHistory(ctx.db, { runId: input.run_id, key: input.metric_key, afterStep: input.after_step, limit: input.limit }, await ctx.access.runs([input.run_id], { field: "run_id" }));
});
