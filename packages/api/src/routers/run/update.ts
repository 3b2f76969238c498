import { Run, RunUpdateInput } from "@finetrack/contracts";
import { updateRun } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const update = writeProcedure({ runs: "id" })
  .input(RunUpdateInput)
  .output(Run)
  .mutation(async ({ ctx, input }) => {
    return updateRun(ctx.db, input, await ctx.access.runs([input.id]));
  });
