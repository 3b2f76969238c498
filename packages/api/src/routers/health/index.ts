import { z } from "zod";
import { publicProcedure, router } from "../../trpc";

export const healthRouter = router({
  check: publicProcedure.output(z.object({ ok: z.literal(true), time: z.date() })).query(async ({ ctx }) => {
    await ctx.db.pool.query("SELECT 1");
    return { ok: true as const, time: new Date() };
  }),
});
