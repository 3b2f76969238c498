import type { Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { projectSelect } from "./to-project";

export async function getProject(db: Db, slug: string, field = "project"): Promise<Project> {
  const project = await db.prisma.project.findUnique({ where: { slug }, select: projectSelect });
  if (!project) throw new AppError("NOT_FOUND", `project '${slug}' not found`, { field });
  return project;
}
