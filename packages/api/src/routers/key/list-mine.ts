import { ApiKey } from "@finetrack/contracts";
import { getLocalAdmin, listApiKeys } from "@finetrack/core";
import { z } from "zod";
import { signedInProcedure } from "../../trpc";

/** The caller's own keys in every project (the account page). */
export const listMine = signedInProcedure.output(z.array(ApiKey)).query(async ({ ctx }) => {
  const userId = ctx.authEnabled && ctx.principal ? ctx.principal.user.id : (await getLocalAdmin(ctx.db)).id;
  return listApiKeys(ctx.db, { userId });
});
