import { z } from "zod";

// Read once, on the server only (route handlers). The browser never sees these.
const WebEnv = z.object({
  DATABASE_URL: z.string().min(1, "DATABASE_URL must be set: `finetrack server` sets it before starting the dashboard"),
});
type WebEnv = z.infer<typeof WebEnv>;

let parsed: WebEnv | undefined;

export function readEnv(): WebEnv {
  parsed ??= WebEnv.parse({ DATABASE_URL: process.env.DATABASE_URL });
  return parsed;
}
