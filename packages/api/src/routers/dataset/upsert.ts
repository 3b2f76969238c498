import { Dataset, DatasetUpsertInput } from "@finetrack/contracts";
import { upsertDataset } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const upsert = writeProcedure({ project: "project" })
  .input(DatasetUpsertInput)
  .output(Dataset)
  .mutation(async ({ ctx, input }) => {
    const { project, ...fields } = input;
    const { id } = await ctx.access.project(project);
    return upsertDataset(ctx.db, id, fields, "input");
  });
