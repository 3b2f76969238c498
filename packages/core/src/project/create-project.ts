import type { Project, ProjectCreateInput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { isUniqueViolation } from "../shared/prisma-errors";
import { projectSelect } from "./to-project";

/** `ownerId`: the creating user, who becomes the project's owner in the same transaction. */
export async function createProject(db: Db, input: ProjectCreateInput, options: { ownerId?: string | null } = {}): Promise<Project> {
  try {
    return await db.prisma.project.create({
      data: {
        slug: input.slug,
        name: input.name,
        description: input.description ?? "",
        memberships: options.ownerId ? { create: { userId: options.ownerId, role: "owner" } } : undefined,
      },
      select: projectSelect,
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError("CONFLICT", `project '${input.slug}' already exists; pick another slug`, { field: "slug" });
    }
    throw error;
  }
}
