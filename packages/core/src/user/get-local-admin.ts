import type { Db } from "@finetrack/db";

/**
 * The first instance admin (who owns keys made without a signed-in user: auth off, scripts,
 * tests); created without a password when there is none yet (bootstrapLocal then sets one).
 */
export async function getLocalAdmin(db: Db): Promise<{ id: string; username: string }> {
  const select = { id: true, username: true } as const;
  const existing = await db.prisma.user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: "asc" }, select });
  if (existing) return existing;
  return db.prisma.user.upsert({ where: { username: "admin" }, create: { username: "admin", isAdmin: true }, update: { isAdmin: true }, select });
}
