import { completeTrial } from "@finetrack/core";
import { writeProcedure } from "../../trpc";
import { TrialAttempt } from "./inputs";

export const complete = writeProcedure({ project: "project" })
  .input(TrialAttempt)
  .mutation(async ({ ctx, input }) => completeTrial(ctx.db, await ctx.access.project(input.project), input));
