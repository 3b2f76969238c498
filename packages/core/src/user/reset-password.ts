import type { UserResetPasswordInput, UserWithPassword } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getUser } from "./get-user";
import { hashPassword, newPassword } from "./password";
import { userSelect } from "./to-user";

/** Sets a new password (generated when none is given) and ends the user's sessions. */
export async function resetPassword(db: Db, input: UserResetPasswordInput): Promise<UserWithPassword> {
  const user = await getUser(db, input.username);
  const generated = input.password ? null : newPassword();
  const passwordHash = await hashPassword(input.password ?? generated!);
  const [updated] = await db.prisma.$transaction([
    db.prisma.user.update({ where: { id: user.id }, data: { passwordHash }, select: userSelect }),
    db.prisma.session.deleteMany({ where: { userId: user.id } }),
  ]);
  return { ...updated, password: generated };
}
