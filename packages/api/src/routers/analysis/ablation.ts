import { ProjectSlug, RunFilter } from "@finetrack/contracts";
import { buildAblationMatrix } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

const Field = z.string().min(1).max(400);

export const AnalysisAblationInput = z
  .object({
    project: ProjectSlug,
    filter: RunFilter.optional(),
    target: Field.default("metrics.val/loss.min"),
    direction: z.enum(["minimize", "maximize"], { error: "expected 'minimize' or 'maximize'" }).default("minimize"),
    rows: Field.default("baseModel"),
    columns: Field.default("method"),
    split: Field.optional(),
    baseline: z.object({ row: z.string().max(400), column: z.string().max(400) }).optional(),
    includeDerived: z.boolean({ error: "expected true or false" }).optional(),
  })
  .refine((v) => new Set([v.rows, v.columns, v.split].filter(Boolean)).size === [v.rows, v.columns, v.split].filter(Boolean).length, {
    error: "expected rows, columns and split to be different fields",
    path: ["columns"],
  });
export type AnalysisAblationInput = z.input<typeof AnalysisAblationInput>;

/** Target mean ± std over seeds per base model × method (× dataset) cell, each with its runs, seeds and a test against a baseline cell. */
export const ablation = readProcedure({ project: "project" }).input(AnalysisAblationInput).query(async ({ ctx, input }) => {
  await ctx.access.project(input.project);
  return buildAblationMatrix(ctx.db, input);
});
