import { ApiKey, KeyListInput } from "@finetrack/contracts";
import { accountRoleIn, listApiKeys } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

/** Owners see every key of the project; everyone else only their own there. A page at a time, oldest first. */
export const list = readProcedure({ project: "project", userReach: true })
  .input(KeyListInput)
  .output(z.array(ApiKey))
  .query(async ({ ctx, input }) => {
    const project = await ctx.access.project(input.project);
    const p = ctx.authEnabled ? ctx.principal : null;
    const all = !p || accountRoleIn(p, project.id) === "owner";
    return listApiKeys(ctx.db, { projectId: project.id, userId: all ? undefined : p.user.id }, input);
  });
