import { Member, MemberRemoveInput } from "@finetrack/contracts";
import { setMember } from "@finetrack/core";
import { z } from "zod";
import { adminProcedure } from "../../trpc";

export const removeMember = adminProcedure({ project: "project", userReach: true })
  .input(MemberRemoveInput)
  .output(z.array(Member))
  .mutation(async ({ ctx, input }) => setMember(ctx.db, (await ctx.access.project(input.project)).id, input.username, null));
