import { Viewer } from "@finetrack/contracts";
import { publicProcedure } from "../../trpc";

/** Who the dashboard is signed in as (never throws, so the UI can decide to show sign-in). */
export const me = publicProcedure.output(Viewer).query(({ ctx }) => {
  const p = ctx.principal;
  if (!ctx.authEnabled) return { authEnabled: false, projectId: null, projectSlug: null, scopes: [], via: "off" as const };
  if (!p) return { authEnabled: true, projectId: null, projectSlug: null, scopes: [], via: "none" as const };
  return { authEnabled: true, projectId: p.projectId, projectSlug: p.projectSlug, scopes: p.scopes, via: p.via };
});
