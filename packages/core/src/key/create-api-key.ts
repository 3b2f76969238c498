import type { KeyCreateInput, KeyCreateOutput } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { getProject } from "../project/get-project";
import { newApiKeySecret, sha256Hex } from "../shared/secrets";
import { apiKeySelect } from "./to-api-key";

/** The secret is in the result only; the database keeps its SHA-256. */
export async function createApiKey(db: Db, input: KeyCreateInput): Promise<KeyCreateOutput> {
  const project = await getProject(db, input.project);
  const { prefix, secret } = newApiKeySecret();
  const key = await db.prisma.apiKey.create({
    data: { projectId: project.id, name: input.name, prefix, secretHash: sha256Hex(secret), scopes: [...new Set(input.scopes)] },
    select: apiKeySelect,
  });
  return { ...key, secret };
}
