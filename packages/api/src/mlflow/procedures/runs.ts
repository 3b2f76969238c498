import { listMlflowRuns } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";
import { MlflowRunId } from "./inputs";

/** Runs as MLflow entities (runs/get). */
export const runs = readProcedure({ runs: "run_ids" }).input(z.object({ run_ids: z.array(MlflowRunId).min(1).max(1000) })).query(async ({ ctx, input }) => {
  return listMlflowRuns(ctx.db, input.run_ids, await ctx.access.runs(input.run_ids, { field: "run_ids" }));
});
