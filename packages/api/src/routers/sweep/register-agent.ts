import { registerAgent as register } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { SweepRef } from "./inputs";

export const registerAgent = writeProcedure({ project: "project" })
  .input(SweepRef.extend({ host: z.string().min(1).max(200), pid: z.number().int().min(0).optional(), concurrency: z.number().int().min(1).max(64).default(1) }))
  .mutation(async ({ ctx, input }) => register(ctx.db, await ctx.access.project(input.project), input));
