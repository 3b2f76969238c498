import { Project } from "@finetrack/contracts";
import { listProjects } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

/** Only the projects the caller may read (every one for an instance admin, or with auth off). */
export const list = readProcedure("listing")
  .output(z.array(Project))
  .query(({ ctx }) => listProjects(ctx.db, { onlyIds: ctx.access.readableProjectIds() }));
