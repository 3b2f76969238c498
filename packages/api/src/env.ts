import { z } from "zod";

const ApiEnv = z.object({
  /** `off` disables authentication entirely (a single-user machine, a demo). */
  FINETRACK_AUTH: z.enum(["on", "off"], { error: "FINETRACK_AUTH must be 'on' or 'off'" }).default("on"),
  /** A running run silent for this long becomes crashed. */
  FINETRACK_CRASH_TIMEOUT_S: z.coerce.number().positive().default(300),
});
export type ApiEnv = z.infer<typeof ApiEnv>;

export function readApiEnv(env: NodeJS.ProcessEnv = process.env): ApiEnv {
  const parsed = ApiEnv.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid environment: ${issue.path.join(".")}: ${issue.message}`);
  }
  return parsed.data;
}
