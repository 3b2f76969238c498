import { setRunDeleted } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { MlflowRunId } from "./inputs";

/** runs/delete and runs/restore. */
export const setDeleted = writeProcedure({ runs: "run_id" }).input(z.object({ run_id: MlflowRunId, deleted: z.boolean() })).mutation(async ({ ctx, input }) => {
  await setRunDeleted(ctx.db, input.run_id, input.deleted, await ctx.access.runs([input.run_id], { field: "run_id" }));
});
