import type { SessionSignInInput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { newSessionSecret, sha256Hex } from "../shared/secrets";
import { verifyPassword } from "../user/password";
import { authenticate, SESSION_TTL_MS } from "./authenticate";
import type { Principal } from "./principal";
import { checkSignInAllowed, recordSignIn } from "./sign-in-throttle";

const WRONG = "wrong username or password";

/**
 * Signs a browser in with a username and password, or with an API key (then the session is
 * bounded by that key). Always a new session and secret, never one the browser brought along.
 */
export async function createSession(
  db: Db,
  input: SessionSignInInput,
  options: { userAgent?: string } = {},
): Promise<{ secret: string; expiresAt: Date; principal: Principal }> {
  let userId: string;
  let apiKeyId: string | null = null;
  if ("apiKey" in input) {
    const principal = (await authenticate(db, { authorization: `Bearer ${input.apiKey}` }))!;
    userId = principal.user.id;
    apiKeyId = principal.key!.id;
  } else {
    checkSignInAllowed(input.username);
    const user = await db.prisma.user.findUnique({ where: { username: input.username }, select: { id: true, passwordHash: true, disabledAt: true } });
    const ok = await verifyPassword(input.password, user?.passwordHash ?? null);
    recordSignIn(input.username, Boolean(user && ok));
    if (!user || !ok) throw new AppError("UNAUTHORIZED", WRONG);
    if (user.disabledAt) throw new AppError("UNAUTHORIZED", `user '${input.username}' is disabled; ask an instance admin`);
    userId = user.id;
  }
  const secret = newSessionSecret();
  const expiresAt = new Date(Date.now() + SESSION_TTL_MS);
  await db.prisma.session.create({ data: { userId, apiKeyId, secretHash: sha256Hex(secret), expiresAt, userAgent: (options.userAgent ?? "").slice(0, 300) } });
  return { secret, expiresAt, principal: (await authenticate(db, { sessionSecret: secret }))! };
}
