import { deleteUserSessions } from "@finetrack/core";
import { z } from "zod";
import { sessionCookie } from "../../session-cookie";
import { signedInProcedure } from "../../trpc";

/** Ends every session of the caller's user, this one included. */
export const signOutEverywhere = signedInProcedure.output(z.object({ ended: z.number().int() })).mutation(async ({ ctx }) => {
  const ended = ctx.principal ? await deleteUserSessions(ctx.db, ctx.principal.user.id) : 0;
  ctx.setCookie(sessionCookie("", 0, ctx.secure));
  return { ended };
});
