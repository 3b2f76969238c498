import { SessionInfo } from "@finetrack/contracts";
import { listSessions } from "@finetrack/core";
import { z } from "zod";
import { signedInProcedure } from "../../trpc";

/** The caller's own sessions (the account page). */
export const list = signedInProcedure.output(z.array(SessionInfo)).query(({ ctx }) =>
  ctx.principal ? listSessions(ctx.db, ctx.principal.user.id, ctx.principal.sessionId) : [],
);
