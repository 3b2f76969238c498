import type { User } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { userSelect } from "./to-user";

export async function listUsers(db: Db): Promise<User[]> {
  return db.prisma.user.findMany({ orderBy: { username: "asc" }, select: userSelect, take: 10_000 });
}
