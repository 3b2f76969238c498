import type { ApiKeyScope, ProjectRole } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { newSessionSecret, sha256Hex } from "../shared/secrets";
import type { Principal } from "./principal";

const LAST_USED_RESOLUTION_MS = 60_000;
/** A session's secret is replaced after this long; the old one keeps working for the grace period. */
export const SESSION_ROTATE_MS = 15 * 60_000;
const ROTATION_GRACE_MS = 60_000;
export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

type UserColumns = { userId: string; username: string; isAdmin: boolean; disabledAt: Date | null; roles: Array<[string, string, ProjectRole]> };
type KeyColumns = { keyId: string | null; keyProjectId: string | null; keySlug: string | null; scopes: ApiKeyScope[] | null; keyRevokedAt: Date | null; keyExpiresAt: Date | null; lastUsedAt: Date | null };

// Raw SQL rather than Prisma, one round trip: this runs on every request, and the SDK sends many.
// A key that is not admin-scoped only ever acts in its own project, so only that membership is read.
const USER_COLUMNS = `u."id" AS "userId", u."username", u."isAdmin", u."disabledAt",
  (SELECT coalesce(json_agg(json_build_array(m."projectId", p."slug", m."role")), '[]'::json)
     FROM "Membership" m JOIN "Project" p ON p."id" = m."projectId"
    WHERE m."userId" = u."id" AND (k."id" IS NULL OR 'admin' = ANY(k."scopes") OR m."projectId" = k."projectId")) AS "roles"`;
const KEY_COLUMNS = `k."id" AS "keyId", k."projectId" AS "keyProjectId", kp."slug" AS "keySlug", k."scopes"::text[] AS "scopes",
  k."revokedAt" AS "keyRevokedAt", k."expiresAt" AS "keyExpiresAt", k."lastUsedAt"`;

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
    const { rows } = await db.pool.query<UserColumns & KeyColumns>(
      `SELECT ${KEY_COLUMNS}, ${USER_COLUMNS} FROM "ApiKey" k JOIN "Project" kp ON kp."id" = k."projectId" JOIN "User" u ON u."id" = k."userId"
        WHERE k."secretHash" = $1`,
      [sha256Hex(match[1])],
    );
    const row = rows[0];
    if (!row) throw new AppError("UNAUTHORIZED", "unknown API key; create one with `finetrack keys create`");
    checkKey(row);
    checkUser(row);
    touchKey(db, row.keyId!, row.lastUsedAt);
    return toPrincipal(row, "apiKey", null);
  }
  if (credentials.sessionSecret) {
    const hash = sha256Hex(credentials.sessionSecret);
    const { rows } = await db.pool.query<UserColumns & KeyColumns & { sessionId: string; expiresAt: Date; rotatedAt: Date; current: boolean; lastSeenAt: Date }>(
      `SELECT s."id" AS "sessionId", s."expiresAt", s."rotatedAt", s."lastSeenAt", s."secretHash" = $1 AS "current", ${KEY_COLUMNS}, ${USER_COLUMNS}
         FROM "Session" s JOIN "User" u ON u."id" = s."userId"
         LEFT JOIN "ApiKey" k ON k."id" = s."apiKeyId" LEFT JOIN "Project" kp ON kp."id" = k."projectId"
        WHERE s."secretHash" = $1 OR (s."previousSecretHash" = $1 AND s."rotatedAt" > now() - make_interval(secs => $2))`,
      [hash, ROTATION_GRACE_MS / 1000],
    );
    const row = rows[0];
    if (!row || row.expiresAt.getTime() <= Date.now()) throw new AppError("UNAUTHORIZED", "your session has expired or was ended; sign in again");
    if (row.keyId) checkKey(row);
    checkUser(row);
    const principal = toPrincipal(row, "session", row.sessionId);
    if (row.current && Date.now() - row.rotatedAt.getTime() > SESSION_ROTATE_MS) principal.rotatedSecret = await rotate(db, row.sessionId, hash);
    else if (Date.now() - row.lastSeenAt.getTime() > LAST_USED_RESOLUTION_MS) {
      db.pool.query(`UPDATE "Session" SET "lastSeenAt" = now() WHERE "id" = $1`, [row.sessionId]).catch(() => {});
    }
    if (row.keyId) touchKey(db, row.keyId, row.lastUsedAt);
    return principal;
  }
  return null;
}

function checkKey(row: KeyColumns): void {
  if (row.keyRevokedAt) throw new AppError("UNAUTHORIZED", `API key was revoked at ${row.keyRevokedAt.toISOString()}`);
  if (row.keyExpiresAt && row.keyExpiresAt.getTime() <= Date.now()) {
    throw new AppError("UNAUTHORIZED", `API key expired at ${row.keyExpiresAt.toISOString()}; create a new one with \`finetrack keys create\``);
  }
}

function checkUser(row: UserColumns): void {
  if (row.disabledAt) throw new AppError("UNAUTHORIZED", `user '${row.username}' is disabled; ask an instance admin`);
}

function toPrincipal(row: UserColumns & KeyColumns, via: Principal["via"], sessionId: string | null): Principal {
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
  const { rowCount } = await db.pool.query(
    `UPDATE "Session" SET "previousSecretHash" = "secretHash", "secretHash" = $1, "rotatedAt" = now(), "lastSeenAt" = now(), "expiresAt" = $2
      WHERE "id" = $3 AND "secretHash" = $4`,
    [sha256Hex(secret), expiresAt, sessionId, oldHash],
  );
  return rowCount ? { secret, expiresAt } : undefined;
}

/** lastUsedAt at one-minute resolution, off the request path: a write per request would cost more than it tells. */
function touchKey(db: Db, id: string, lastUsedAt: Date | null): void {
  if (lastUsedAt && Date.now() - lastUsedAt.getTime() < LAST_USED_RESOLUTION_MS) return;
  db.pool.query(`UPDATE "ApiKey" SET "lastUsedAt" = now() WHERE "id" = $1`, [id]).catch(() => {});
}
