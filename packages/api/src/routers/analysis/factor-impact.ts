import { ProjectSlug, RunFilter } from "@finetrack/contracts";
import { computeFactorImpact } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const AnalysisFactorImpactInput = z.object({
  project: ProjectSlug,
  filter: RunFilter.optional(),
  target: z.string().min(1).max(400).default("metrics.val/loss.min"),
  direction: z.enum(["minimize", "maximize"], { error: "expected 'minimize' or 'maximize'" }).default("minimize"),
  factors: z.array(z.string().min(1).max(300)).min(1, { error: "expected at least one factor" }).max(60).optional(),
  includeDerived: z.boolean({ error: "expected true or false" }).optional(),
  /** A project's own config spellings of a factor, on top of the shared alias table: `{ baseModel: ["backbone"] }`. */
  aliases: z.record(z.string().min(1).max(100), z.array(z.string().min(1).max(300)).max(50)).optional(),
});
export type AnalysisFactorImpactInput = z.input<typeof AnalysisFactorImpactInput>;

/** Importance of every factor by correlation, forest, fANOVA, PED-ANOVA and ANOVA, the family answer, seed noise and confounding. */
export const factorImpact = readProcedure({ project: "project" }).input(AnalysisFactorImpactInput).query(async ({ ctx, input }) => {
  await ctx.access.project(input.project);
  return computeFactorImpact(ctx.db, input);
});
