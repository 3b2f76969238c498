import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { sha256Hex } from "../shared/secrets";
import type { Principal } from "./principal";

const LAST_USED_RESOLUTION_MS = 60_000;

const keySelect = {
  id: true, projectId: true, scopes: true, revokedAt: true, lastUsedAt: true, project: { select: { slug: true } },
} as const;

/**
 * Resolves `Authorization: Bearer <secret>` or a session cookie to a principal; null when the
 * request carries no credentials. Unknown, malformed or revoked credentials are UNAUTHORIZED.
 */
export async function authenticate(
  db: Db,
  credentials: { authorization?: string | null; sessionSecret?: string | null },
): Promise<Principal | null> {
  if (credentials.authorization) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(credentials.authorization);
    if (!match) throw new AppError("UNAUTHORIZED", "expected an 'Authorization: Bearer <api key>' header");
    const key = await db.prisma.apiKey.findUnique({ where: { secretHash: sha256Hex(match[1]) }, select: keySelect });
    if (!key) throw new AppError("UNAUTHORIZED", "unknown API key; create one with `finetrack keys create`");
    if (key.revokedAt) throw new AppError("UNAUTHORIZED", `API key was revoked at ${key.revokedAt.toISOString()}`);
    touchKey(db, key.id, key.lastUsedAt);
    return { via: "apiKey", keyId: key.id, projectId: key.projectId, projectSlug: key.project.slug, scopes: key.scopes };
  }
  if (credentials.sessionSecret) {
    const session = await db.prisma.session.findUnique({
      where: { secretHash: sha256Hex(credentials.sessionSecret) },
      select: { expiresAt: true, apiKey: { select: keySelect } },
    });
    if (!session || session.expiresAt.getTime() <= Date.now() || session.apiKey.revokedAt) {
      throw new AppError("UNAUTHORIZED", "your session has expired or was ended; sign in again with an API key");
    }
    const key = session.apiKey;
    touchKey(db, key.id, key.lastUsedAt);
    return { via: "session", keyId: key.id, projectId: key.projectId, projectSlug: key.project.slug, scopes: key.scopes };
  }
  return null;
}

/** lastUsedAt at one-minute resolution, off the request path: a write per request would cost more than it tells. */
function touchKey(db: Db, id: string, lastUsedAt: Date | null): void {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  db.prisma.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } }).catch(() => {});
}
