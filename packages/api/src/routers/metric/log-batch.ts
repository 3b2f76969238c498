import { LogBatchOutput, parseLogBatchInput } from "@finetrack/contracts";
import { logMetrics } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const logBatch = writeProcedure({ runs: "runId", code: "BAD_REQUEST" })
  .input(parseLogBatchInput)
  .output(LogBatchOutput)
  .mutation(async ({ ctx, input }) => {
    // The middleware resolved and checked the run; the batch locks it by seq (no second lookup).
    const run = (await ctx.access.runs([input.runId], { field: "runId", code: "BAD_REQUEST" })).get(input.runId);
    return logMetrics(ctx.db, input, { run, authorize: (projectId) => ctx.access.assertProjectId(projectId, `run '${input.runId}'`) });
  });
