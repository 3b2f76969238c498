import { Project, ProjectCreateInput } from "@finetrack/contracts";
import { actsAsUser, AppError, createProject } from "@finetrack/core";
import { signedInProcedure } from "../../trpc";

/** Any user may create a project and becomes its owner; with a key, only an admin-scoped one. */
export const create = signedInProcedure
  .input(ProjectCreateInput)
  .output(Project)
  .mutation(({ ctx, input }) => {
    const p = ctx.authEnabled ? ctx.principal : null;
    if (p && !actsAsUser(p)) throw new AppError("FORBIDDEN", "creating a project needs a signed-in user or an admin-scoped API key");
    return createProject(ctx.db, input, { ownerId: p?.user.id ?? null });
  });
