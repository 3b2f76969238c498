import { MetricKeyName, RunId, RunProjectField } from "@finetrack/contracts";
import { diagnoseRun } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const AnalysisDiagnoseInput = z.object({
  runId: RunId,
  ...RunProjectField,
  /** Default: the run's training loss key (`train/loss`, `loss`, …). */
  trainKey: MetricKeyName.optional(),
  /** Default: the run's validation loss key (`val/loss`, `eval_loss`, …). */
  valKey: MetricKeyName.optional(),
});
export type AnalysisDiagnoseInput = z.infer<typeof AnalysisDiagnoseInput>;

/** Overfitting verdict, onset, GL, the early-stopping what-if and advice for one run. */
export const diagnose = readProcedure({ runs: "runId" }).input(AnalysisDiagnoseInput).query(async ({ ctx, input }) => {
  return diagnoseRun(ctx.db, input, await ctx.access.runs([input.runId], { field: "runId" }));
});
