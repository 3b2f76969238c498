import type { Member, ProjectRole } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { getUser } from "../user/get-user";
import { listMembers } from "./list-members";

/**
 * Gives a user a role in a project, or removes them (`role` null). A project keeps at least one
 * owner. Keys of a user whose role shrinks keep existing but act within the new role (checked per request).
 */
export async function setMember(db: Db, projectId: string, username: string, role: ProjectRole | null): Promise<Member[]> {
  const user = await getUser(db, username);
  await db.prisma.$transaction(async (tx) => {
    // Serializes membership changes of one project, so two demotions cannot both pass the owner check.
    await tx.$queryRaw`SELECT 1 FROM "Project" WHERE "id" = ${projectId} FOR UPDATE`;
    const current = await tx.membership.findUnique({ where: { userId_projectId: { userId: user.id, projectId } }, select: { role: true } });
    if (current?.role === "owner" && role !== "owner") {
      const owners = await tx.membership.count({ where: { projectId, role: "owner" } });
      if (owners <= 1) throw new AppError("CONFLICT", `'${username}' is the project's last owner; make someone else owner first`, { field: "username" });
    }
    if (role === null) {
      if (!current) throw new AppError("NOT_FOUND", `user '${username}' is not a member of this project`, { field: "username" });
      await tx.membership.delete({ where: { userId_projectId: { userId: user.id, projectId } } });
    } else {
      await tx.membership.upsert({ where: { userId_projectId: { userId: user.id, projectId } }, create: { userId: user.id, projectId, role }, update: { role } });
    }
  });
  return listMembers(db, projectId);
}
