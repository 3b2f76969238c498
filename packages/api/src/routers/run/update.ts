import { Run, RunUpdateInput } from "@finetrack/contracts";
import { updateRun } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const update = writeProcedure({ runs: "id" })
  .input(RunUpdateInput)
  .output(Run)
  .mutation(async ({ ctx, input }) => {
    await ctx.access.runs([input.id]);
    return updateRun(ctx.db, input);
  });
