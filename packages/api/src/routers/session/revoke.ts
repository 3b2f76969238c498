import { Id } from "@finetrack/contracts";
import { deleteSessionById } from "@finetrack/core";
import { z } from "zod";
import { signedInProcedure } from "../../trpc";

/** Ends one of the caller's own sessions; someone else's answers NOT_FOUND. */
export const revoke = signedInProcedure
  .input(z.object({ id: Id }))
  .output(z.object({ ok: z.literal(true) }))
  .mutation(async ({ ctx, input }) => {
    if (ctx.principal) await deleteSessionById(ctx.db, ctx.principal.user.id, input.id);
    return { ok: true as const };
  });
