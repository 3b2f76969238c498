import { deleteMlflowTag } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";
import { MlflowRunId } from "./inputs";

export const deleteTag = writeProcedure({ runs: "run_id" }).input(z.object({ run_id: MlflowRunId, key: z.string().min(1).max(250) })).mutation(async ({ ctx, input }) => {
  await deleteMlflowTag(ctx.db, input.run_id, input.key, await ctx.access.runs([input.run_id], { field: "run_id" }));
});
