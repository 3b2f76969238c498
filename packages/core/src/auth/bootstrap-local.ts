import type { KeyCreateOutput, Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { createApiKey } from "../key/create-api-key";
import { projectSelect } from "../project/to-project";

export const DEFAULT_PROJECT_SLUG = "default";
const BOOTSTRAP_LOCK = 7_314_001;

/**
 * First start of a local server: creates the default project and an admin key. The key's secret
 * is returned only by the call that created it (null afterwards), so the caller stores it then.
 */
export async function bootstrapLocal(
  db: Db,
  options: { projectSlug?: string; projectName?: string } = {},
): Promise<{ project: Project; key: KeyCreateOutput | null }> {
  const slug = options.projectSlug ?? DEFAULT_PROJECT_SLUG;
  const client = await db.pool.connect();
  try {
    // Two servers starting at once must not both mint a key.
    await client.query("SELECT pg_advisory_lock($1)", [BOOTSTRAP_LOCK]);
    const existing = await db.prisma.project.findUnique({ where: { slug }, select: projectSelect });
    if (existing) {
      const hasAdmin = await db.prisma.apiKey.count({ where: { projectId: existing.id, revokedAt: null, scopes: { has: "admin" } } });
      if (hasAdmin > 0) return { project: existing, key: null };
      return { project: existing, key: await createApiKey(db, { project: slug, name: "local admin", scopes: ["admin"] }) };
    }
    const project = await db.prisma.project.create({
      data: { slug, name: options.projectName ?? "Default project", description: "Created on first start." },
      select: projectSelect,
    });
    return { project, key: await createApiKey(db, { project: slug, name: "local admin", scopes: ["admin"] }) };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [BOOTSTRAP_LOCK]).catch(() => {});
    client.release();
  }
}
