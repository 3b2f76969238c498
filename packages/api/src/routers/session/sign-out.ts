import { deleteSession } from "@finetrack/core";
import { z } from "zod";
import { sessionCookie } from "../../session-cookie";
import { publicProcedure } from "../../trpc";

export const signOut = publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
  if (ctx.sessionSecret) await deleteSession(ctx.db, ctx.sessionSecret);
  ctx.setCookie(sessionCookie("", 0, ctx.secure));
  return { ok: true as const };
});
