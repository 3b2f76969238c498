import { User, Username } from "@finetrack/contracts";
import { setUserDisabled } from "@finetrack/core";
import { z } from "zod";
import { instanceAdminProcedure } from "../../trpc";

/** Disabling stops the user's keys and sessions at once; enabling restores the keys. */
export const setDisabled = instanceAdminProcedure
  .input(z.object({ username: Username, disabled: z.boolean({ error: "expected true or false" }) }))
  .output(User)
  .mutation(({ ctx, input }) => setUserDisabled(ctx.db, input.username, input.disabled, ctx.authEnabled ? (ctx.principal?.user.id ?? null) : null));
