import type { ApiKey, Page } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { pageLimit, unknownCursor } from "../shared/page";
import { apiKeySelect, toApiKey } from "./to-api-key";

/**
 * A project's keys (`userId`: only that user's), or with `projectId` undefined every key of the
 * user, oldest first, a page at a time (`page.cursor`: the last id of the previous page).
 */
export async function listApiKeys(db: Db, where: { projectId?: string; userId?: string }, page: Page = {}): Promise<ApiKey[]> {
  if (page.cursor && !(await db.prisma.apiKey.findFirst({ where: { ...where, id: page.cursor }, select: { id: true } }))) throw unknownCursor(page.cursor);
  const rows = await db.prisma.apiKey.findMany({
    where,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: apiKeySelect,
    take: pageLimit(page),
    ...(page.cursor ? { cursor: { id: page.cursor }, skip: 1 } : {}),
  });
  return rows.map(toApiKey);
}
