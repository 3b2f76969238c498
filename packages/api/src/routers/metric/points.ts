import { PointsInput, type PointsOutput } from "@finetrack/contracts";
import { readPoints } from "@finetrack/core";
import { readProcedure } from "../../trpc";

// Full-resolution pages for `finetrack export`; series is the downsampled read for charts.
export const points = readProcedure({ runs: "runId" }).input(PointsInput).query(async ({ ctx, input }): Promise<PointsOutput> => {
  return readPoints(ctx.db, input, await ctx.access.runs([input.runId], { field: "runId" }));
});
