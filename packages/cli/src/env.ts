import { z } from "zod";

const CliEnv = z.object({
  PORT: z.coerce.number().int().min(1).max(65_535).optional(),
  HOST: z.string().min(1).optional(),
  /** The instance admin's password at the first start (otherwise a one-time password is printed). */
  FINETRACK_ADMIN_PASSWORD: z.string().min(10, { error: "FINETRACK_ADMIN_PASSWORD must have at least 10 characters" }).optional(),
});
export type CliEnv = z.infer<typeof CliEnv>;

export function readCliEnv(): CliEnv {
  const parsed = CliEnv.safeParse({
    PORT: process.env.PORT || undefined,
    HOST: process.env.HOST || undefined,
    FINETRACK_ADMIN_PASSWORD: process.env.FINETRACK_ADMIN_PASSWORD || undefined,
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bad environment variable ${String(issue.path[0])}: ${issue.message}`);
  }
  return parsed.data;
}

/** The environment handed to the Next.js child (it reads its own variables in apps/web). */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return { ...process.env, ...extra };
}
