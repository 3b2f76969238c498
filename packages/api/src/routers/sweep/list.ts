import { ProjectSlug } from "@finetrack/contracts";
import { listSweeps } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const list = readProcedure({ project: "project" })
  .input(z.object({ project: ProjectSlug }))
  .query(async ({ ctx, input }) => listSweeps(ctx.db, await ctx.access.project(input.project)));
