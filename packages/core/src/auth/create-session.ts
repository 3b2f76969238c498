import type { Db } from "@finetrack/db";
import { newSessionSecret, sha256Hex } from "../shared/secrets";
import { authenticate } from "./authenticate";
import type { Principal } from "./principal";

export const SESSION_TTL_MS = 30 * 24 * 3600 * 1000;

/** Signs a browser in with an API key: returns the cookie secret (stored only as a hash). */
export async function createSession(
  db: Db,
  apiKeySecret: string,
): Promise<{ secret: string; expiresAt: Date; principal: Principal }> {
  const principal = (await authenticate(db, { authorization: `Bearer ${apiKeySecret}` }))!;
  const secret = newSessionSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.prisma.session.create({ data: { apiKeyId: principal.keyId, secretHash: sha256Hex(secret), expiresAt } });
  return { secret, expiresAt, principal: { ...principal, via: "session" } };
}
