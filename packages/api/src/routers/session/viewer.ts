import type { Viewer } from "@finetrack/contracts";
import { roleIn, type Principal } from "@finetrack/core";

/** What the dashboard knows about its caller: user, role per project, the key it signed in with. */
export function toViewer(authEnabled: boolean, p: Principal | null): Viewer {
  if (!authEnabled) return { authEnabled: false, user: null, roles: {}, projectId: null, projectSlug: null, scopes: [], via: "off" };
  if (!p) return { authEnabled: true, user: null, roles: {}, projectId: null, projectSlug: null, scopes: [], via: "none" };
  const roles: Viewer["roles"] = {};
  for (const [projectId, { slug }] of p.roles) {
    const role = roleIn(p, projectId);
    if (role) roles[slug] = role;
  }
  if (p.key) {
    const role = roleIn(p, p.key.projectId);
    if (role) roles[p.key.projectSlug] = role;
  }
  return { authEnabled: true, user: p.user, roles, projectId: p.key?.projectId ?? null, projectSlug: p.key?.projectSlug ?? null, scopes: p.key?.scopes ?? [], via: p.via };
}
