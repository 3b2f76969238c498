import { Project } from "@finetrack/contracts";
import { hasScope, listProjects } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

/** Everything for an admin key (or with auth off); otherwise the key's own project. */
export const list = readProcedure.output(z.array(Project)).query(({ ctx }) => {
  const p = ctx.authEnabled ? ctx.principal : null;
  return listProjects(ctx.db, p && !hasScope(p, "admin") ? { onlyIds: [p.projectId] } : {});
});
