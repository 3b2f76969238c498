import { LogBatchOutput, parseLogBatchInput } from "@finetrack/contracts";
import { logMetrics } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const logBatch = writeProcedure
  .input(parseLogBatchInput)
  .output(LogBatchOutput)
  .mutation(async ({ ctx, input }) => {
    // With auth off logMetrics itself names an unknown run; with auth on the run's project is checked first.
    if (ctx.authEnabled) await ctx.access.runs([input.runId], { field: "runId", code: "BAD_REQUEST" });
    return logMetrics(ctx.db, input);
  });
