import type { ApiKey } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getProject } from "../project/get-project";
import { apiKeySelect } from "./to-api-key";

export async function listApiKeys(db: Db, projectSlug: string): Promise<ApiKey[]> {
  const project = await getProject(db, projectSlug);
  return db.prisma.apiKey.findMany({ where: { projectId: project.id }, orderBy: { createdAt: "asc" }, select: apiKeySelect, take: 1_000 });
}
