import { authenticate, createApiKey } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { readCredentials, saveCredentials } from "@finetrack/sdk";

/**
 * Makes sure this machine's credentials file holds a working admin key for the local server, the
 * way `wandb login` stores one: the key bootstrap just minted, else the saved one if it still
 * works, else a fresh one (secrets are only stored hashed, so a lost one cannot be shown again).
 */
export async function ensureLocalKey(
  db: Db,
  options: { home: string; url: string; project: string; minted: string | null; log: (line: string) => void },
): Promise<void> {
  let secret = options.minted;
  if (!secret) {
    const saved = readCredentials(options.home).servers[options.url];
    if (saved && (await keyWorks(db, saved.apiKey, options.project))) return;
    secret = (await createApiKey(db, { project: options.project, name: "local admin", scopes: ["admin"] })).secret;
  }
  const path = saveCredentials(options.home, options.url, { apiKey: secret, project: options.project });
  options.log(`admin API key for project '${options.project}' (shown once; saved to ${path} for the SDK and CLI on this machine):\n\n    ${secret}\n`);
}

async function keyWorks(db: Db, secret: string, project: string): Promise<boolean> {
  try {
    const principal = await authenticate(db, { authorization: `Bearer ${secret}` });
    return principal?.key?.projectSlug === project && principal.key.scopes.includes("admin") && principal.user.isAdmin;
  } catch {
    return false;
  }
}
