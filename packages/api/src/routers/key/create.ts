import { KeyCreateInput, KeyCreateOutput } from "@finetrack/contracts";
import { accountRoleIn, createApiKey, getLocalAdmin } from "@finetrack/core";
import { readProcedure } from "../../trpc";

/**
 * Anyone with a role in the project mints their own key there, scopes capped by that role. An
 * admin-scoped key may mint keys for its user's other projects (`finetrack keys create --project X`).
 */
export const create = readProcedure({ project: "project", userReach: true })
  .input(KeyCreateInput)
  .output(KeyCreateOutput)
  .mutation(async ({ ctx, input }) => {
    const project = await ctx.access.project(input.project);
    const p = ctx.authEnabled ? ctx.principal : null;
    if (!p) return createApiKey(ctx.db, input, { userId: (await getLocalAdmin(ctx.db)).id, role: null });
    return createApiKey(ctx.db, input, { userId: p.user.id, role: accountRoleIn(p, project.id) });
  });
