import { getSweep } from "@finetrack/core";
import { readProcedure } from "../../trpc";
import { SweepRef } from "./inputs";

/** A sweep's trials by state, its agents and their last heartbeat, and the best trial so far. */
export const get = readProcedure({ project: "project" })
  .input(SweepRef)
  .query(async ({ ctx, input }) => getSweep(ctx.db, await ctx.access.project(input.project), input.sweepId));
