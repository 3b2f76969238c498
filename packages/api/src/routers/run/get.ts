import { Run, RunIdInput } from "@finetrack/contracts";
import { getRun } from "@finetrack/core";
import { readProcedure } from "../../trpc";

export const get = readProcedure({ runs: "id" })
  .input(RunIdInput)
  .output(Run)
  .query(async ({ ctx, input }) => {
    return getRun(ctx.db, input.id, await ctx.access.runs([input.id]));
  });
