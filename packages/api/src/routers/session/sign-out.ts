import { deleteSession } from "@finetrack/core";
import { z } from "zod";
import { publicProcedure } from "../../trpc";
import { sessionCookie } from "./cookie";

export const signOut = publicProcedure.output(z.object({ ok: z.literal(true) })).mutation(async ({ ctx }) => {
  if (ctx.sessionSecret) await deleteSession(ctx.db, ctx.sessionSecret);
  ctx.setCookie(sessionCookie("", 0));
  return { ok: true as const };
});
