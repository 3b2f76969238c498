import { Artifact, ArtifactListInput } from "@finetrack/contracts";
import { listArtifacts } from "@finetrack/core";
import { z } from "zod";
import { readProcedure } from "../../trpc";

export const list = readProcedure({ runs: "runId" })
  .input(ArtifactListInput)
  .output(z.array(Artifact))
  .query(async ({ ctx, input }) => {
    return listArtifacts(ctx.db, input.runId, await ctx.access.runs([input.runId], { field: "runId" }), input);
  });
