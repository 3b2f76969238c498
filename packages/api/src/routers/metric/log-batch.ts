import { LogBatchOutput, parseLogBatchInput } from "@finetrack/contracts";
import { logMetrics } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const logBatch = writeProcedure({ runs: "runId", code: "BAD_REQUEST" })
  .input(parseLogBatchInput)
  .output(LogBatchOutput)
  .mutation(async ({ ctx, input }) => {
    // The run's project is checked inside the batch transaction, before anything is written: one
    // query less per batch than resolving the run first.
    return logMetrics(ctx.db, input, { authorize: (projectId) => ctx.access.assertProjectId(projectId, `run '${input.runId}'`) });
  });
