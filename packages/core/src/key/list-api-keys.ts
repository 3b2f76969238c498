import type { ApiKey } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { apiKeySelect, toApiKey } from "./to-api-key";

/** A project's keys (`userId`: only that user's), or with `projectId` undefined every key of the user. */
export async function listApiKeys(db: Db, where: { projectId?: string; userId?: string }): Promise<ApiKey[]> {
  const rows = await db.prisma.apiKey.findMany({ where, orderBy: { createdAt: "asc" }, select: apiKeySelect, take: 1_000 });
  return rows.map(toApiKey);
}
