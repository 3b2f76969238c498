import { SessionSignInInput, Viewer } from "@finetrack/contracts";
import { createSession } from "@finetrack/core";
import { sessionCookie } from "../../session-cookie";
import { publicProcedure } from "../../trpc";
import { toViewer } from "./viewer";

/** Username and password (or an API key) for a new session cookie; the browser never keeps a key. */
export const signIn = publicProcedure
  .input(SessionSignInInput)
  .output(Viewer)
  .mutation(async ({ ctx, input }) => {
    const session = await createSession(ctx.db, input, { userAgent: ctx.userAgent });
    ctx.setCookie(sessionCookie(session.secret, (session.expiresAt.getTime() - Date.now()) / 1000, ctx.secure));
    return toViewer(true, session.principal);
  });
