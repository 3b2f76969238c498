import { heartbeatTrial } from "@finetrack/core";
import { writeProcedure } from "../../trpc";
import { TrialAttempt } from "./inputs";

/** The trial is alive; the answer says whether to stop it (early termination, cancelled sweep). */
export const heartbeat = writeProcedure({ project: "project" })
  .input(TrialAttempt)
  .mutation(async ({ ctx, input }) => heartbeatTrial(ctx.db, await ctx.access.project(input.project), input));
