import { JsonObject, ProjectSlug } from "@finetrack/contracts";
import { createSweep, MAX_SWEEP_TRIALS, SweepSpec } from "@finetrack/core";
import { z } from "zod";
import { writeProcedure } from "../../trpc";

export const SweepCreateInput = z.object({
  project: ProjectSlug,
  spec: SweepSpec,
  /** grid / random: each trial's values (the client expands the sweep file); tpe: none. */
  trials: z.array(JsonObject).max(MAX_SWEEP_TRIALS, { error: `expected at most ${MAX_SWEEP_TRIALS} trials` }).optional(),
});

/** Records the sweep and enqueues its trials on the server's pg-boss queue. */
export const create = writeProcedure({ project: "project" })
  .input(SweepCreateInput)
  .mutation(async ({ ctx, input }) => createSweep(ctx.db, await ctx.access.project(input.project), { spec: input.spec, trials: input.trials as Record<string, unknown>[] | undefined }));
