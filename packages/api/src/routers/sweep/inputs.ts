import { ProjectSlug } from "@finetrack/contracts";
import { z } from "zod";

const Ident = (what: string) => z.string({ error: `expected a ${what} id` }).regex(/^[A-Za-z0-9_-]{1,64}$/, { error: `expected a ${what} id (letters, digits, '-', '_')` });

/** Every sweep procedure names its project: authorization checks the role there, core checks the sweep is of it. */
export const SweepRef = z.object({ project: ProjectSlug, sweepId: Ident("sweep") });
export const AgentRef = SweepRef.extend({ agentId: Ident("agent") });
export const TrialAttempt = AgentRef.extend({
  trialId: Ident("trial"),
  attempt: z.number({ error: "expected the attempt number the claim returned" }).int().min(1),
});
