import type { ApiKey } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { AppError } from "../shared/app-error";
import { apiKeySelect, toApiKey } from "./to-api-key";

/** Idempotent: revoking a revoked key keeps its first revocation time. Its sessions end with it. */
export async function revokeApiKey(db: Db, id: string): Promise<ApiKey> {
  const key = await db.prisma.apiKey.findUnique({ where: { id }, select: apiKeySelect });
  if (!key) throw new AppError("NOT_FOUND", `API key '${id}' not found`, { field: "id" });
  if (key.revokedAt) return toApiKey(key);
  const [revoked] = await db.prisma.$transaction([
    db.prisma.apiKey.update({ where: { id }, data: { revokedAt: new Date() }, select: apiKeySelect }),
    db.prisma.session.deleteMany({ where: { apiKeyId: id } }),
  ]);
  return toApiKey(revoked);
}
