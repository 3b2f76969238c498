import type { ApiKeyScope } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { sha256Hex } from "../shared/secrets";
import type { Principal } from "./principal";

const LAST_USED_RESOLUTION_MS = 60_000;

type KeyRow = { id: string; projectId: string; scopes: ApiKeyScope[]; revokedAt: Date | null; lastUsedAt: Date | null; slug: string };

// Raw SQL rather than Prisma: this runs on every request, and the SDK sends many.
const KEY_COLUMNS = `k."id", k."projectId", k."scopes"::text[] AS "scopes", k."revokedAt", k."lastUsedAt", p."slug"`;

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
    const { rows } = await db.pool.query<KeyRow>(
      `SELECT ${KEY_COLUMNS} FROM "ApiKey" k JOIN "Project" p ON p."id" = k."projectId" WHERE k."secretHash" = $1`,
      [sha256Hex(match[1])],
    );
    const key = rows[0];
    if (!key) throw new AppError("UNAUTHORIZED", "unknown API key; create one with `finetrack keys create`");
    if (key.revokedAt) throw new AppError("UNAUTHORIZED", `API key was revoked at ${key.revokedAt.toISOString()}`);
    touchKey(db, key.id, key.lastUsedAt);
    return { via: "apiKey", keyId: key.id, projectId: key.projectId, projectSlug: key.slug, scopes: key.scopes };
  }
  if (credentials.sessionSecret) {
    const { rows } = await db.pool.query<KeyRow & { expiresAt: Date }>(
      `SELECT ${KEY_COLUMNS}, s."expiresAt" FROM "Session" s JOIN "ApiKey" k ON k."id" = s."apiKeyId" JOIN "Project" p ON p."id" = k."projectId"
       WHERE s."secretHash" = $1`,
      [sha256Hex(credentials.sessionSecret)],
    );
    const key = rows[0];
    if (!key || key.expiresAt.getTime() <= Date.now() || key.revokedAt) {
      throw new AppError("UNAUTHORIZED", "your session has expired or was ended; sign in again with an API key");
    }
    touchKey(db, key.id, key.lastUsedAt);
    return { via: "session", keyId: key.id, projectId: key.projectId, projectSlug: key.slug, scopes: key.scopes };
  }
  return null;
}

/** lastUsedAt at one-minute resolution, off the request path: a write per request would cost more than it tells. */
function touchKey(db: Db, id: string, lastUsedAt: Date | null): void {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  db.pool.query(`UPDATE "ApiKey" SET "lastUsedAt" = now() WHERE "id" = $1`, [id]).catch(() => {});
}
