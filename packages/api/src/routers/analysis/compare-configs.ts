import { ProjectSlug } from "@finetrack/contracts";
import { compareConfigurations } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const AnalysisCompareConfigsInput = z.object({
  project: ProjectSlug,
  runIds: z.array(z.string().min(1).max(200)).min(2, { error: "expected at least two run ids" }).max(100),
  target: z.string().min(1).max(400).default("metrics.val/loss.min"),
  direction: z.enum(["minimize", "maximize"], { error: "expected 'minimize' or 'maximize'" }).default("minimize"),
});
export type AnalysisCompareConfigsInput = z.input<typeof AnalysisCompareConfigsInput>;

/** The picked runs as configurations (all seeds of each), compared by Welch's t and a bootstrap interval. */
export const compareConfigs = readProcedure({ project: "project" }).input(AnalysisCompareConfigsInput).query(async ({ ctx, input }) => {
  await ctx.access.project(input.project);
  return compareConfigurations(ctx.db, input);
});
