import { Project, ProjectGetInput } from "@finetrack/contracts";
import { readProcedure } from "../../trpc";

export const get = readProcedure({ project: "slug" })
  .input(ProjectGetInput)
  .output(Project)
  .query(({ ctx, input }) => ctx.access.project(input.slug, "slug"));
