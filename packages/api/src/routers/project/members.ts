import { Member, ProjectSlug } from "@finetrack/contracts";
import { listMembers } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const members = readProcedure({ project: "project", userReach: true })
  .input(z.object({ project: ProjectSlug }))
  .output(z.array(Member))
  .query(async ({ ctx, input }) => listMembers(ctx.db, (await ctx.access.project(input.project)).id));
