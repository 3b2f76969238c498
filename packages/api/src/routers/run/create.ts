import { Run, RunCreateInput } from "@finetrack/contracts";
import { createRun } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const create = writeProcedure({ project: "project" })
  .input(RunCreateInput)
  .output(Run)
  .mutation(async ({ ctx, input }) => {
    await ctx.access.project(input.project);
    return createRun(ctx.db, input);
  });
