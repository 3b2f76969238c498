import { logMlflowBatch, parseMlflowBatch } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

/** runs/log-batch, log-metric, log-parameter and set-tag: one all-or-nothing write. */
export const logBatch = writeProcedure({ runs: "run_id" }).input(parseMlflowBatch).mutation(async ({ ctx, input }) => {
  const run = (await ctx.access.runs([input.run_id], { field: "run_id" })).get(input.run_id);
  return logMlflowBatch(ctx.db, input, { run });
});
