import { SeriesInput, type SeriesOutput } from "@finetrack/contracts";
import { getSeries } from "@finetrack/core";
import { readProcedure } from "../../trpc";

// No .output(): re-validating up to 200 curves × 20,000 points would cost more than the read.
export const series = readProcedure({ runs: "runIds" }).input(SeriesInput).query(async ({ ctx, input }): Promise<SeriesOutput> => {
  return getSeries(ctx.db, input, await ctx.access.runs(input.runIds, { field: "runIds" }));
});
