import { z } from "zod";

const E2eEnv = z.object({
  CHROMIUM_PATH: z.string().default("/usr/bin/chromium"),
});
type E2eEnv = z.infer<typeof E2eEnv>;

/** The only env the e2e harness and bench read. */
export function readE2eEnv(): E2eEnv {
  return E2eEnv.parse({ CHROMIUM_PATH: process.env.CHROMIUM_PATH || undefined });
}
