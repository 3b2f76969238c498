import { MetricKeysInput, MetricKeysOutput } from "@finetrack/contracts";
import { listMetricKeys } from "@finetrack/core";
import { readProcedure } from "../../trpc";

export const keys = readProcedure({ runs: "runIds" })
  .input(MetricKeysInput)
  .output(MetricKeysOutput)
  .query(async ({ ctx, input }) => {
    return { keys: await listMetricKeys(ctx.db, input.runIds, await ctx.access.runs(input.runIds, { field: "runIds" })) };
  });
