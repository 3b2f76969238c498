import type { User } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { getUser } from "./get-user";
import { userSelect } from "./to-user";

/**
 * Disabling ends the user's sessions in the same transaction; their API keys stay (so enabling
 * restores them) but authenticate refuses every one while the user is disabled.
 */
export async function setUserDisabled(db: Db, username: string, disabled: boolean, actorUserId: string | null): Promise<User> {
  const user = await getUser(db, username);
  if (disabled && user.id === actorUserId) throw new AppError("BAD_REQUEST", "you cannot disable yourself; ask another instance admin", { field: "username" });
  if (disabled && user.isAdmin && !user.disabledAt) {
    const admins = await db.prisma.user.count({ where: { isAdmin: true, disabledAt: null } });
    if (admins <= 1) throw new AppError("CONFLICT", `'${username}' is the last active instance admin; make another admin first`, { field: "username" });
  }
  if (Boolean(user.disabledAt) === disabled) return user;
  const [updated] = await db.prisma.$transaction([
    db.prisma.user.update({ where: { id: user.id }, data: { disabledAt: disabled ? new Date() : null }, select: userSelect }),
    db.prisma.session.deleteMany({ where: { userId: disabled ? user.id : "" } }),
  ]);
  return updated;
}
