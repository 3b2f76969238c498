import { ApiKey, KeyRevokeInput } from "@finetrack/contracts";
import { revokeApiKey } from "@finetrack/core";
import { adminProcedure } from "../../trpc";

/** A project owner revokes any key of the project; anyone revokes their own. */
export const revoke = adminProcedure({ apiKey: "id", userReach: true })
  .input(KeyRevokeInput)
  .output(ApiKey)
  .mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id));
