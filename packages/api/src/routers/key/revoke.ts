import { ApiKey, KeyRevokeInput } from "@finetrack/contracts";
import { revokeApiKey } from "@finetrack/core";
import { adminProcedure } from "../../trpc";

export const revoke = adminProcedure
  .input(KeyRevokeInput)
  .output(ApiKey)
  .mutation(async ({ ctx, input }) => {
    await ctx.access.apiKey(input.id);
    return revokeApiKey(ctx.db, input.id);
  });
