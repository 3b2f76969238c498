import { logMlflowBatch, parseMlflowBatch } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

/** runs/log-batch, log-metric, log-parameter and set-tag: one all-or-nothing write. */
export const logBatch = writeProcedure({ runs: "run_id" }).input(parseMlflowBatch).mutation(async ({ ctx, input }) => {
  return logMlflowBatch(ctx.db, input);
});
