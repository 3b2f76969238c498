import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";

/** The project an API key belongs to (for access checks before acting on the key). */
export async function getApiKeyProject(db: Db, id: string): Promise<{ projectId: string }> {
  const key = await db.prisma.apiKey.findUnique({ where: { id }, select: { projectId: true } });
  if (!key) throw new AppError("NOT_FOUND", `API key '${id}' not found`, { field: "id" });
  return key;
}
