import { hasScope, listProjectActivity } from "@finetrack/core";
import { readProcedure } from "../../trpc";

/** Projects with run counts and last activity; visibility as project.list (admin: all, else the key's own). */
export const projectActivity = readProcedure.query(async ({ ctx }) => {
  const p = ctx.authEnabled ? ctx.principal : null;
  return listProjectActivity(ctx.db, p && !hasScope(p, "admin") ? { onlyIds: [p.projectId] } : {});
});
