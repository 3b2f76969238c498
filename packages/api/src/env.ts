import { z } from "zod";

const ApiEnv = z.object({
  /** `off` disables authentication entirely (a single-user machine, a demo). */
  FINETRACK_AUTH: z.enum(["on", "off"], { error: "FINETRACK_AUTH must be 'on' or 'off'" }).default("on"),
  /** `1` lets a server with FINETRACK_AUTH=off listen on a non-loopback host (otherwise it refuses to start). */
  FINETRACK_AUTH_OFF_ALLOW_REMOTE: z.enum(["0", "1"], { error: "FINETRACK_AUTH_OFF_ALLOW_REMOTE must be '0' or '1'" }).default("0"),
  /** Seconds a running run may go without a heartbeat before it becomes crashed (the API's crash
   *  monitor; `finetrack server --crash-timeout` defaults to it). The one name for this setting. */
  FINETRACK_CRASH_TIMEOUT_SECONDS: z.coerce.number().positive().default(300),
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
