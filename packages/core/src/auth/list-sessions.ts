import type { SessionInfo } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";

export async function listSessions(db: Db, userId: string, currentSessionId: string | null): Promise<SessionInfo[]> {
  const rows = await db.prisma.session.findMany({
    where: { userId, expiresAt: { gt: new Date() } },
    orderBy: { lastSeenAt: "desc" },
    select: { id: true, apiKeyId: true, userAgent: true, createdAt: true, lastSeenAt: true, expiresAt: true },
    take: 500,
  });
  return rows.map((s) => ({
    id: s.id,
    current: s.id === currentSessionId,
    via: s.apiKeyId ? ("apiKey" as const) : ("password" as const),
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
  }));
}
