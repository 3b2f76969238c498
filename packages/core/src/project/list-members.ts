import type { Member } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";

export async function listMembers(db: Db, projectId: string): Promise<Member[]> {
  const rows = await db.prisma.membership.findMany({
    where: { projectId },
    select: { userId: true, role: true, createdAt: true, user: { select: { username: true, disabledAt: true } } },
    orderBy: { user: { username: "asc" } },
    take: 10_000,
  });
  return rows.map((m) => ({ userId: m.userId, username: m.user.username, role: m.role, disabled: m.user.disabledAt !== null, createdAt: m.createdAt }));
}
