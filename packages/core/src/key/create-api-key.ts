import type { ApiKeyScope, KeyCreateInput, KeyCreateOutput, ProjectRole } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { ROLE_MAX_SCOPE, roleAtLeast, scopesRole } from "../auth/principal";
import { getProject } from "../project/get-project";
import { AppError } from "../shared/app-error";
import { getLocalAdmin } from "../user/get-local-admin";
import { newApiKeySecret, sha256Hex } from "../shared/secrets";
import { apiKeySelect, toApiKey } from "./to-api-key";

/**
 * A key of `userId` in the project, with scopes no wider than `role` (the user's role there; null:
 * unchecked, auth off). Without `owner` the key is the local instance admin's (scripts, tests).
 * The secret is in the result only; the database keeps its SHA-256.
 */
export async function createApiKey(db: Db, input: KeyCreateInput, owner?: { userId: string; role: ProjectRole | null }): Promise<KeyCreateOutput> {
  owner ??= { userId: (await getLocalAdmin(db)).id, role: null };
  const project = await getProject(db, input.project);
  const scopes = [...new Set(input.scopes)] as ApiKeyScope[];
  const needed = scopesRole(scopes)!;
  if (owner.role && !roleAtLeast(owner.role, needed)) {
    throw new AppError("FORBIDDEN", `your role in project '${input.project}' is ${owner.role}, so a key may have at most the '${ROLE_MAX_SCOPE[owner.role]}' scope`, { field: "scopes" });
  }
  if (input.expiresAt && input.expiresAt.getTime() <= Date.now()) {
    throw new AppError("BAD_REQUEST", `expected an expiry in the future, got ${input.expiresAt.toISOString()}`, { field: "expiresAt" });
  }
  const { prefix, secret } = newApiKeySecret();
  const key = await db.prisma.apiKey.create({
    data: { projectId: project.id, userId: owner.userId, name: input.name, prefix, secretHash: sha256Hex(secret), scopes, expiresAt: input.expiresAt },
    select: apiKeySelect,
  });
  return { ...toApiKey(key), secret };
}
