import type { Page, Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { pageLimit, unknownCursor } from "../shared/page";
import { projectSelect } from "./to-project";

/**
 * Every project, or only `onlyIds` (the ones the caller may read, see readableProjectIds), by
 * slug, a page at a time (`page.cursor`: the last id of the previous page).
 */
export async function listProjects(db: Db, options: { onlyIds?: string[] } = {}, page: Page = {}): Promise<Project[]> {
  const where = options.onlyIds ? { id: { in: options.onlyIds } } : {};
  let after: string | undefined;
  if (page.cursor) {
    const last = await db.prisma.project.findFirst({ where: { AND: [where, { id: page.cursor }] }, select: { slug: true } });
    if (!last) throw unknownCursor(page.cursor);
    after = last.slug;
  }
  return db.prisma.project.findMany({
    where: after === undefined ? where : { AND: [where, { slug: { gt: after } }] },
    orderBy: { slug: "asc" },
    select: projectSelect,
    take: pageLimit(page),
  });
}
