import { MLFLOW_STATUSES, updateMlflowRun, type MlflowRunStatus } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { MlflowRunId, MlflowTime } from "./inputs";

export const MlflowRunUpdateInput = z.object({
  run_id: MlflowRunId,
  status: z.enum(MLFLOW_STATUSES as [MlflowRunStatus, ...MlflowRunStatus[]], { error: `expected one of ${MLFLOW_STATUSES.join(", ")}` }).optional(),
  end_time: MlflowTime.optional(),
  start_time: MlflowTime.optional(),
  run_name: z.string().max(5000).optional(),
});

/** runs/update (and the start time of runs/create). */
export const update = writeProcedure({ runs: "run_id" }).input(MlflowRunUpdateInput).mutation(async ({ ctx, input }) => {
  await updateMlflowRun(
    ctx.db,
    { runId: input.run_id, status: input.status, endTime: input.end_time, startTime: input.start_time, name: input.run_name },
    await ctx.access.runs([input.run_id], { field: "run_id" }),
  );
});
