import type { UserCreateInput, UserWithPassword } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { isUniqueViolation } from "../shared/prisma-errors";
import { hashPassword, newPassword } from "./password";
import { userSelect } from "./to-user";

/** Without a password, one is generated and returned once (the caller prints it; it is never logged). */
export async function createUser(db: Db, input: UserCreateInput): Promise<UserWithPassword> {
  const generated = input.password ? null : newPassword();
  try {
    const user = await db.prisma.user.create({
      data: { username: input.username, passwordHash: await hashPassword(input.password ?? generated!), isAdmin: input.isAdmin ?? false },
      select: userSelect,
    });
    return { ...user, password: generated };
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("CONFLICT", `user '${input.username}' already exists`, { field: "username" });
    throw error;
  }
}
