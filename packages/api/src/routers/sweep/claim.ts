import { claimTrial } from "@finetrack/core";
import { writeProcedure } from "../../trpc";
import { AgentRef } from "./inputs";

/** The next queued trial for this agent, or why there is none (`done`, `waiting`, `cancelled`). */
export const claim = writeProcedure({ project: "project" })
  .input(AgentRef)
  .mutation(async ({ ctx, input }) => claimTrial(ctx.db, await ctx.access.project(input.project), input));
