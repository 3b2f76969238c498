import { setSweepStatus } from "@finetrack/core";
import { writeProcedure } from "../../trpc";
import { SweepRef } from "./inputs";

/** cancel: queued trials leave the queue, running ones stop at their next heartbeat. */
export const cancel = writeProcedure({ project: "project" })
  .input(SweepRef)
  .mutation(async ({ ctx, input }) => setSweepStatus(ctx.db, await ctx.access.project(input.project), { sweepId: input.sweepId, action: "cancel" }));
