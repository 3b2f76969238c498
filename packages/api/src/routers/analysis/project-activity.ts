import { listProjectActivity } from "@finetrack/core";
import { readProcedure } from "../../trpc";

/** Projects with run counts and last activity; only those the caller may read, as project.list. */
export const projectActivity = readProcedure("listing").query(async ({ ctx }) => {
  return listProjectActivity(ctx.db, { onlyIds: ctx.access.readableProjectIds() });
});
