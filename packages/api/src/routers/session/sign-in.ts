import { SessionSignInInput, Viewer } from "@finetrack/contracts";
import { createSession } from "@finetrack/core";
import { publicProcedure } from "../../trpc";
import { sessionCookie } from "./cookie";

/** Exchanges an API key for a session cookie; the dashboard never keeps the key itself. */
export const signIn = publicProcedure
  .input(SessionSignInInput)
  .output(Viewer)
  .mutation(async ({ ctx, input }) => {
    const session = await createSession(ctx.db, input.apiKey);
    ctx.setCookie(sessionCookie(session.secret, (session.expiresAt.getTime() - Date.now()) / 1000));
    const p = session.principal;
    return { authEnabled: ctx.authEnabled, projectId: p.projectId, projectSlug: p.projectSlug, scopes: p.scopes, via: "session" as const };
  });
