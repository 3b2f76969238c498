import { Member, MemberSetInput } from "@finetrack/contracts";
import { setMember as setProjectMember } from "@finetrack/core";
import { z } from "zod";
import { adminProcedure } from "../../trpc";

/** Owners give a user a role (or change it); the project keeps at least one owner. */
export const setMember = adminProcedure({ project: "project", userReach: true })
  .input(MemberSetInput)
  .output(z.array(Member))
  .mutation(async ({ ctx, input }) => setProjectMember(ctx.db, (await ctx.access.project(input.project)).id, input.username, input.role));
