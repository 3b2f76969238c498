import { RunIdInput, RunStatus } from "@finetrack/contracts";
import { heartbeatRun } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";

export const RunHeartbeatOutput = z.object({ id: z.string(), status: RunStatus, heartbeatAt: z.date() });

export const heartbeat = writeProcedure({ runs: "id" })
  .input(RunIdInput)
  .output(RunHeartbeatOutput)
  .mutation(async ({ ctx, input }) => {
    return heartbeatRun(ctx.db, input.id, await ctx.access.runs([input.id]));
  });
