import { Project, ProjectCreateInput } from "@finetrack/contracts";
import { createProject } from "@finetrack/core";
import { adminProcedure } from "../../trpc";

export const create = adminProcedure
  .input(ProjectCreateInput)
  .output(Project)
  .mutation(({ ctx, input }) => createProject(ctx.db, input));
