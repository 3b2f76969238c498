import { Run, RunFinishInput } from "@finetrack/contracts";
import { finishRun } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const finish = writeProcedure({ runs: "id" })
  .input(RunFinishInput)
  .output(Run)
  .mutation(async ({ ctx, input }) => {
    return finishRun(ctx.db, input, await ctx.access.runs([input.id]));
  });
