import { Artifact, ArtifactLogInput } from "@finetrack/contracts";
import { logArtifact } from "@finetrack/core";
import { writeProcedure } from "../../trpc";

export const log = writeProcedure({ runs: "runId", code: "BAD_REQUEST" })
  .input(ArtifactLogInput)
  .output(Artifact)
  .mutation(async ({ ctx, input }) => {
    return logArtifact(ctx.db, input, await ctx.access.runs([input.runId], { field: "runId", code: "BAD_REQUEST" }));
  });
