import type { Queryable } from "./runs";

type Role = "owner" | "editor" | "viewer";
/** The user behind a credential and their memberships as [projectId, slug, role]. */
export type CredentialUser = { userId: string; username: string; isAdmin: boolean; disabledAt: Date | null; roles: Array<[string, string, Role]> };
/** The API key behind a credential (all null for a password session). */
export type CredentialKey = { keyId: string | null; keyProjectId: string | null; keySlug: string | null; scopes: ("read" | "write" | "admin")[] | null; keyRevokedAt: Date | null; keyExpiresAt: Date | null; lastUsedAt: Date | null };
export type CredentialSession = CredentialUser & CredentialKey & { sessionId: string; expiresAt: Date; rotatedAt: Date; current: boolean; lastSeenAt: Date };

// One round trip per credential: this runs on every request, and the SDK sends many. A key that is
// not admin-scoped only ever acts in its own project, so only that membership is read.
const USER_COLUMNS = `u."id" AS "userId", u."username", u."isAdmin", u."disabledAt",
  (SELECT coalesce(json_agg(json_build_array(m."projectId", p."slug", m."role")), '[]'::json)
     FROM "Membership" m JOIN "Project" p ON p."id" = m."projectId"
    WHERE m."userId" = u."id" AND (k."id" IS NULL OR 'admin' = ANY(k."scopes") OR m."projectId" = k."projectId")) AS "roles"`;
const KEY_COLUMNS = `k."id" AS "keyId", k."projectId" AS "keyProjectId", kp."slug" AS "keySlug", k."scopes"::text[] AS "scopes",
  k."revokedAt" AS "keyRevokedAt", k."expiresAt" AS "keyExpiresAt", k."lastUsedAt"`;

/** The key with this secret hash, its user and memberships; null when unknown. */
export async function findApiKeyCredential(db: Queryable, secretHash: string): Promise<(CredentialUser & CredentialKey) | null> {
  const { rows } = await db.query<CredentialUser & CredentialKey>(
    `SELECT ${KEY_COLUMNS}, ${USER_COLUMNS} FROM "ApiKey" k JOIN "Project" kp ON kp."id" = k."projectId" JOIN "User" u ON u."id" = k."userId"
      WHERE k."secretHash" = $1`,
    [secretHash],
  );
  return rows[0] ?? null;
}

/** The session whose current secret has this hash, or whose previous one did within `graceSeconds` of rotating. */
export async function findSessionCredential(db: Queryable, secretHash: string, graceSeconds: number): Promise<CredentialSession | null> {
  const { rows } = await db.query<CredentialSession>(
    `SELECT s."id" AS "sessionId", s."expiresAt", s."rotatedAt", s."lastSeenAt", s."secretHash" = $1 AS "current", ${KEY_COLUMNS}, ${USER_COLUMNS}
       FROM "Session" s JOIN "User" u ON u."id" = s."userId"
       LEFT JOIN "ApiKey" k ON k."id" = s."apiKeyId" LEFT JOIN "Project" kp ON kp."id" = k."projectId"
      WHERE s."secretHash" = $1 OR (s."previousSecretHash" = $1 AND s."rotatedAt" > now() - make_interval(secs => $2))`,
    [secretHash, graceSeconds],
  );
  return rows[0] ?? null;
}

/** Replaces a session's secret only if it still has `oldHash` (nobody rotated it first); false otherwise. */
export async function rotateSessionSecret(db: Queryable, sessionId: string, oldHash: string, newHash: string, expiresAt: Date): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE "Session" SET "previousSecretHash" = "secretHash", "secretHash" = $1, "rotatedAt" = now(), "lastSeenAt" = now(), "expiresAt" = $2
      WHERE "id" = $3 AND "secretHash" = $4`,
    [newHash, expiresAt, sessionId, oldHash],
  );
  return (rowCount ?? 0) > 0;
}

export async function touchSession(db: Queryable, sessionId: string): Promise<void> {
  await db.query(`UPDATE "Session" SET "lastSeenAt" = now() WHERE "id" = $1`, [sessionId]);
}

export async function touchApiKey(db: Queryable, keyId: string): Promise<void> {
  await db.query(`UPDATE "ApiKey" SET "lastUsedAt" = now() WHERE "id" = $1`, [keyId]);
}
