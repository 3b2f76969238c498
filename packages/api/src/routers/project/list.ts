import { Project, ProjectListInput } from "@finetrack/contracts";
import { listProjects } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

/** Only the projects the caller may read (every one for an instance admin, or with auth off), a page at a time. */
export const list = readProcedure("listing")
  .input(ProjectListInput)
  .output(z.array(Project))
  .query(({ ctx, input }) => listProjects(ctx.db, { onlyIds: ctx.access.readableProjectIds() }, input ?? undefined));
