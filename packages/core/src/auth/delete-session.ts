import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { sha256Hex } from "../shared/secrets";

export async function deleteSession(db: Db, sessionSecret: string): Promise<void> {
  const hash = sha256Hex(sessionSecret);
  await db.prisma.session.deleteMany({ where: { OR: [{ secretHash: hash }, { previousSecretHash: hash }] } });
}

/** Ends one of the user's own sessions (the sessions page); another user's id is NOT_FOUND. */
export async function deleteSessionById(db: Db, userId: string, id: string): Promise<void> {
  const { count } = await db.prisma.session.deleteMany({ where: { id, userId } });
  if (count === 0) throw new AppError("NOT_FOUND", `session '${id}' not found`, { field: "id" });
}

/** Sign out everywhere: every session of the user. Returns how many ended. */
export async function deleteUserSessions(db: Db, userId: string): Promise<number> {
  return (await db.prisma.session.deleteMany({ where: { userId } })).count;
}
