import { logMlflowInputs } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { MlflowRunId } from "./inputs";

/** runs/log-inputs: datasets become Dataset records (validated in logMlflowInputs). */
export const logInputs = writeProcedure({ runs: "run_id" }).input(z.object({ run_id: MlflowRunId, datasets: z.unknown() })).mutation(async ({ ctx, input }) => {
  await logMlflowInputs(ctx.db, { runId: input.run_id, datasets: input.datasets }, await ctx.access.runs([input.run_id], { field: "run_id" }));
});
