import type { KeyCreateOutput, Project } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { createApiKey } from "../key/create-api-key";
import { projectSelect } from "../project/to-project";
import { hashPassword, newPassword } from "../user/password";

export const DEFAULT_PROJECT_SLUG = "default";
export const ADMIN_USERNAME = "admin";
const BOOTSTRAP_LOCK = 7_314_001;

export type Bootstrapped = {
  project: Project;
  /** The admin key minted by this call (its secret is shown only now), else null. */
  key: KeyCreateOutput | null;
  /** The instance admin; `password` only when this call generated it (print it once). */
  admin: { id: string; username: string; created: boolean; password: string | null };
};

/**
 * First start of a server: the instance admin (password from `adminPassword`, else generated), the
 * default project and an admin key of the admin for it. Later starts change nothing, except that
 * an admin left without a password (keys migrated from before users existed) gets one.
 */
export async function bootstrapLocal(
  db: Db,
  options: { projectSlug?: string; projectName?: string; adminPassword?: string } = {},
): Promise<Bootstrapped> {
  const slug = options.projectSlug ?? DEFAULT_PROJECT_SLUG;
  const client = await db.pool.connect();
  try {
    // Two servers starting at once must not both create an admin or mint a key.
    await client.query("SELECT pg_advisory_lock($1)", [BOOTSTRAP_LOCK]);
    const admin = await ensureAdmin(db, options.adminPassword);
    const project =
      (await db.prisma.project.findUnique({ where: { slug }, select: projectSelect })) ??
      (await db.prisma.project.create({
        data: { slug, name: options.projectName ?? "Default project", description: "Created on first start.", memberships: { create: { userId: admin.id, role: "owner" } } },
        select: projectSelect,
      }));
    const active = await db.prisma.apiKey.count({
      where: { projectId: project.id, userId: admin.id, revokedAt: null, scopes: { has: "admin" }, OR: [{ expiresAt: null }, { expiresAt: { gt: new Date() } }] },
    });
    const key = active > 0 ? null : await createApiKey(db, { project: slug, name: "local admin", scopes: ["admin"] }, { userId: admin.id, role: null });
    return { project, key, admin };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [BOOTSTRAP_LOCK]).catch(() => {});
    client.release();
  }
}

async function ensureAdmin(db: Db, adminPassword: string | undefined): Promise<Bootstrapped["admin"]> {
  const existing = await db.prisma.user.findFirst({ where: { isAdmin: true }, orderBy: { createdAt: "asc" }, select: { id: true, username: true, passwordHash: true } });
  if (existing?.passwordHash) return { id: existing.id, username: existing.username, created: false, password: null };
  const generated = adminPassword ? null : newPassword();
  const passwordHash = await hashPassword(adminPassword ?? generated!);
  if (existing) {
    await db.prisma.user.update({ where: { id: existing.id }, data: { passwordHash } });
    return { id: existing.id, username: existing.username, created: false, password: generated };
  }
  const user = await db.prisma.user.create({ data: { username: ADMIN_USERNAME, passwordHash, isAdmin: true }, select: { id: true, username: true } });
  return { ...user, created: true, password: generated };
}
