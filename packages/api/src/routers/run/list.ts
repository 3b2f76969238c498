import { RunListInput, RunListOutput } from "@finetrack/contracts";
import { listRuns } from "@finetrack/core";
import { readProcedure } from "../../trpc";

export const list = readProcedure({ project: "project" })
  .input(RunListInput)
  .output(RunListOutput)
  .query(async ({ ctx, input }) => {
    return listRuns(ctx.db, input, await ctx.access.project(input.project));
  });
