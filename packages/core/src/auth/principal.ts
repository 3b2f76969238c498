import type { ApiKeyScope, ProjectRole } from "@finetrack/contracts";

/**
 * Who is calling: a user, through a password session or an API key (or a session opened with
 * one). With a key, everything is bounded by the key's project and scopes as well as the user's role.
 */
export type Principal = {
  via: "apiKey" | "session";
  user: { id: string; username: string; isAdmin: boolean };
  /** The user's roles, by project id (for a key: only the key's project). */
  roles: Map<string, { slug: string; role: ProjectRole }>;
  key: { id: string; projectId: string; projectSlug: string; scopes: ApiKeyScope[] } | null;
  sessionId: string | null;
  /** A new cookie secret when the session rotated during this request (the API sets the cookie). */
  rotatedSecret?: { secret: string; expiresAt: Date };
};

const RANK: Record<ProjectRole, number> = { viewer: 1, editor: 2, owner: 3 };

export function roleAtLeast(role: ProjectRole | null, needed: ProjectRole): boolean {
  return role !== null && RANK[role] >= RANK[needed];
}

export function minRole(a: ProjectRole | null, b: ProjectRole | null): ProjectRole | null {
  if (a === null || b === null) return null;
  return RANK[a] <= RANK[b] ? a : b;
}

/** The widest role a key's scopes allow: read → viewer, write → editor, admin → owner. */
export function scopesRole(scopes: ApiKeyScope[]): ProjectRole | null {
  if (scopes.includes("admin")) return "owner";
  if (scopes.includes("write")) return "editor";
  if (scopes.includes("read")) return "viewer";
  return null;
}

/** The widest scope a role may put on a key. */
export const ROLE_MAX_SCOPE: Record<ProjectRole, ApiKeyScope> = { viewer: "read", editor: "write", owner: "admin" };

/** The role the caller holds in a project: the user's (owner for an instance admin), capped by the key. */
export function roleIn(principal: Principal, projectId: string): ProjectRole | null {
  const userRole: ProjectRole | null = principal.user.isAdmin ? "owner" : (principal.roles.get(projectId)?.role ?? null);
  if (!principal.key) return userRole;
  if (principal.key.projectId !== projectId) return null;
  return minRole(userRole, scopesRole(principal.key.scopes));
}

/** The user's own role in a project, ignoring the key the call came with. */
export function userRoleIn(principal: Principal, projectId: string): ProjectRole | null {
  return principal.user.isAdmin ? "owner" : (principal.roles.get(projectId)?.role ?? null);
}

/** Instance-level powers (users): an instance admin, by password or with an admin-scoped key. */
export function isInstanceAdmin(principal: Principal): boolean {
  return principal.user.isAdmin && (!principal.key || principal.key.scopes.includes("admin"));
}

/** An admin-scoped key speaks for its user on account-level calls (minting keys, creating projects). */
export function actsAsUser(principal: Principal): boolean {
  return !principal.key || principal.key.scopes.includes("admin");
}

/** The role for account-level work (keys, members): an admin-scoped key reaches all of its user's projects. */
export function accountRoleIn(principal: Principal, projectId: string): ProjectRole | null {
  return actsAsUser(principal) ? userRoleIn(principal, projectId) : roleIn(principal, projectId);
}
