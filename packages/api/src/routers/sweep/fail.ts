import { failTrial } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { TrialAttempt } from "./inputs";

/** The trial's program failed (`error` is kept; bounded retries), or `release: true` hands it back untried. */
export const fail = writeProcedure({ project: "project" })
  .input(TrialAttempt.extend({ error: z.string().min(1).max(8_000), release: z.boolean().optional() }))
  .mutation(async ({ ctx, input }) => failTrial(ctx.db, await ctx.access.project(input.project), input));
