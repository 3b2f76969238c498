import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { z } from "zod";

/** What `finetrack server` stores so the SDK and CLI on the same machine find it (like `wandb login`). */
export const ServerCredentials = z.object({
  apiKey: z.string().min(1),
  project: z.string().optional(),
  savedAt: z.string().optional(),
});
export type ServerCredentials = z.infer<typeof ServerCredentials>;

export const CredentialsFile = z.object({
  /** The URL used when neither an option nor FINETRACK_URL names one. */
  default: z.string().optional(),
  servers: z.record(z.string(), ServerCredentials).default({}),
});
export type CredentialsFile = z.infer<typeof CredentialsFile>;

export function credentialsPath(home: string): string {
  return join(home, "credentials.json");
}

/** Server URLs are compared without a trailing slash or the /api/trpc suffix. */
export function normalizeServerUrl(url: string): string {
  return url.replace(/\/+$/, "").replace(/\/api\/trpc$/, "");
}

export function readCredentials(home: string): CredentialsFile {
  let text: string;
  try {
    text = readFileSync(credentialsPath(home), "utf8");
  } catch {
    return { servers: {} };
  }
  const parsed = CredentialsFile.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new Error(`finetrack: ${credentialsPath(home)} is not a valid credentials file (${parsed.error.issues[0].message}); delete it and restart \`finetrack server\``);
  }
  return parsed.data;
}

/** Stores a key for a server (file mode 0600) and makes that server the default. */
export function saveCredentials(home: string, url: string, entry: ServerCredentials): string {
  const path = credentialsPath(home);
  const current = readCredentials(home);
  const key = normalizeServerUrl(url);
  const next: CredentialsFile = {
    default: key,
    servers: { ...current.servers, [key]: { ...entry, savedAt: entry.savedAt ?? new Date().toISOString() } },
  };
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(next, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
  chmodSync(path, 0o600);
  return path;
}
