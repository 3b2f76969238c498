import type { User } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { userSelect } from "./to-user";

export async function getUser(db: Db, username: string, field = "username"): Promise<User> {
  const user = await db.prisma.user.findUnique({ where: { username }, select: userSelect });
  if (!user) throw new AppError("NOT_FOUND", `user '${username}' not found; see \`finetrack users list\``, { field });
  return user;
}
