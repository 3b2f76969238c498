import { KeyCreateInput, KeyCreateOutput } from "@finetrack/contracts";
import { createApiKey } from "@finetrack/core";
import { adminProcedure } from "../../trpc";

export const create = adminProcedure
  .input(KeyCreateInput)
  .output(KeyCreateOutput)
  .mutation(async ({ ctx, input }) => {
    await ctx.access.project(input.project);
    return createApiKey(ctx.db, input);
  });
