import { ApiKey, KeyListInput } from "@finetrack/contracts";
import { listApiKeys } from "@finetrack/core";
import { z } from "zod";
import { adminProcedure } from "../../trpc";

export const list = adminProcedure
  .input(KeyListInput)
  .output(z.array(ApiKey))
  .query(async ({ ctx, input }) => {
    await ctx.access.project(input.project);
    return listApiKeys(ctx.db, input.project);
  });
