import { findApiKeyCredential, findSessionCredential, rotateSessionSecret, touchApiKey, touchSession, type CredentialKey, type CredentialUser, type Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { newSessionSecret, sha256Hex } from "../shared/secrets";
import type { Principal } from "./principal";

const LAST_USED_RESOLUTION_MS = 60_000;
/** A session's secret is replaced after this long; the old one keeps working for the grace period. */
export const SESSION_ROTATE_MS = 15 * 60_000;
const ROTATION_GRACE_MS = 60_000;
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/**
 * Resolves `Authorization: Bearer <secret>` or a session cookie to a principal; null when the
 * request carries no credentials. Unknown, malformed, revoked or expired credentials, and those of
 * a disabled user, are UNAUTHORIZED. A session older than SESSION_ROTATE_MS gets a new secret.
 */
export async function authenticate(
  db: Db,
  credentials: { authorization?: string | null; sessionSecret?: string | null },
): Promise<Principal | null> {
  if (credentials.authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization);
    if (!match) throw new AppError("UNAUTHORIZED", "expected an 'Authorization: Bearer <api key>' header");
    const row = await findApiKeyCredential(db.pool, sha256Hex(match[1]));
    if (!row) throw new AppError("UNAUTHORIZED", "unknown API key; create one with `finetrack keys create`");
    checkKey(row);
    checkUser(row);
    touchKey(db, row.keyId!, row.lastUsedAt);
    return toPrincipal(row, "apiKey", null);
  }
  if (credentials.sessionSecret) {
    const hash = sha256Hex(credentials.sessionSecret);
    const row = await findSessionCredential(db.pool, hash, ROTATION_GRACE_MS / 1000);
    if (!row || row.expiresAt.getTime() <= Date.now()) throw new AppError("UNAUTHORIZED", "your session has expired or was ended; sign in again");
    if (row.keyId) checkKey(row);
    checkUser(row);
    const principal = toPrincipal(row, "session", row.sessionId);
    if (row.current && Date.now() - row.rotatedAt.getTime() > SESSION_ROTATE_MS) principal.rotatedSecret = await rotate(db, row.sessionId, hash);
    else if (Date.now() - row.lastSeenAt.getTime() > LAST_USED_RESOLUTION_MS) {
      touchSession(db.pool, row.sessionId).catch(() => {});
    }
    if (row.keyId) touchKey(db, row.keyId, row.lastUsedAt);
    return principal;
  }
  return null;
}

function checkKey(row: CredentialKey): void {
  if (row.keyRevokedAt) throw new AppError("UNAUTHORIZED", `API key was revoked at ${row.keyRevokedAt.toISOString()}`);
  if (row.keyExpiresAt && row.keyExpiresAt.getTime() <= Date.now()) {
    throw new AppError("UNAUTHORIZED", `API key expired at ${row.keyExpiresAt.toISOString()}; create a new one with \`finetrack keys create\``);
  }
}

function checkUser(row: CredentialUser): void {
  if (row.disabledAt) throw new AppError("UNAUTHORIZED", `user '${row.username}' is disabled; ask an instance admin`);
}

function toPrincipal(row: CredentialUser & CredentialKey, via: Principal["via"], sessionId: string | null): Principal {
  return {
    via,
    user: { id: row.userId, username: row.username, isAdmin: row.isAdmin },
    roles: new Map(row.roles.map(([projectId, slug, role]) => [projectId, { slug, role }])),
    key: row.keyId ? { id: row.keyId, projectId: row.keyProjectId!, projectSlug: row.keySlug!, scopes: row.scopes! } : null,
    sessionId,
  };
}

/** Replaces the secret only if nobody else rotated it first; the loser keeps using the grace period. */
async function rotate(db: Db, sessionId: string, oldHash: string): Promise<{ secret: string; expiresAt: Date } | undefined> {
  const secret = newSessionSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  return (await rotateSessionSecret(db.pool, sessionId, oldHash, sha256Hex(secret), expiresAt)) ? { secret, expiresAt } : undefined;
}

/** lastUsedAt at one-minute resolution, off the request path: a write per request would cost more than it tells. */
function touchKey(db: Db, id: string, lastUsedAt: Date | null): void {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  touchApiKey(db.pool, id).catch(() => {});
}
