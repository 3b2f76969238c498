import { homedir } from "node:os";
import { join } from "node:path";
import { z } from "zod";

/** The SDK's environment; read on each `init` so a process can change it between runs. */
export const SdkEnv = z.object({
  FINETRACK_URL: z.url({ message: "FINETRACK_URL must be a URL such as http://localhost:3000" }).optional(),
  FINETRACK_API_KEY: z.string().min(1).optional(),
  FINETRACK_MODE: z.enum(["online", "offline"], { message: "FINETRACK_MODE must be 'online' or 'offline'" }).optional(),
  FINETRACK_HOME: z.string().min(1).optional(),
  /** Set by `finetrack agent`: the first run this process starts takes this id (a sweep trial's run). */
  FINETRACK_RUN_ID: z.string().min(1).max(64).optional(),
  /** Set by `finetrack agent`: recorded as `system.sweepId`. */
  FINETRACK_SWEEP_ID: z.string().min(1).max(64).optional(),
});
export type SdkEnv = z.infer<typeof SdkEnv>;

export function readSdkEnv(source: NodeJS.ProcessEnv = process.env): SdkEnv {
  const picked = {
    FINETRACK_URL: source.FINETRACK_URL || undefined,
    FINETRACK_API_KEY: source.FINETRACK_API_KEY || undefined,
    FINETRACK_MODE: source.FINETRACK_MODE || undefined,
    FINETRACK_HOME: source.FINETRACK_HOME || undefined,
    FINETRACK_RUN_ID: source.FINETRACK_RUN_ID || undefined,
    FINETRACK_SWEEP_ID: source.FINETRACK_SWEEP_ID || undefined,
  };
  const parsed = SdkEnv.safeParse(picked);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`finetrack: bad environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

/** Where credentials and spooled runs live: $FINETRACK_HOME, else ~/.finetrack. */
export function finetrackHome(env: SdkEnv = readSdkEnv()): string {
  return env.FINETRACK_HOME ?? join(homedir(), ".finetrack");
}
