import { RunDeleteInput } from "@finetrack/contracts";
import { setRunDeleted } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

/** Hides a run from lists and analyses (its data stays); `restore: true` undoes it. */
export const remove = writeProcedure({ runs: "id" })
  .input(RunDeleteInput)
  .mutation(async ({ ctx, input }) => {
    await setRunDeleted(ctx.db, input.id, !input.restore, await ctx.access.runs([input.id]), "id");
    return { id: input.id, deleted: !input.restore };
  });
