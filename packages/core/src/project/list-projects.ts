import type { Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { projectSelect } from "./to-project";

/** Every project, or only `onlyIds` (the ones the caller may read, see readableProjectIds). */
export async function listProjects(db: Db, options: { onlyIds?: string[] } = {}): Promise<Project[]> {
  return db.prisma.project.findMany({
    where: options.onlyIds ? { id: { in: options.onlyIds } } : undefined,
    orderBy: { slug: "asc" },
    select: projectSelect,
    take: 1_000,
  });
}
