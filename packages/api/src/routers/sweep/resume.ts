import { setSweepStatus } from "@finetrack/core";
import { writeProcedure } from "../../trpc";
import { SweepRef } from "./inputs";

/** resume: cancelled trials go back to the queue. */
export const resume = writeProcedure({ project: "project" })
  .input(SweepRef)
  .mutation(async ({ ctx, input }) => setSweepStatus(ctx.db, await ctx.access.project(input.project), { sweepId: input.sweepId, action: "resume" }));
