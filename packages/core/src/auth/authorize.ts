import { KEY_PROJECT_MISMATCH, type Project, type ProjectRole } from "@finetrack/contracts";
import { resolveRuns, type Db, type ResolvedRun } from "@finetrack/db";
import { projectSelect } from "../project/to-project";
import { pickRuns } from "../run/get-run-project";
import { AppError } from "../shared/app-error";
import { accountRoleIn, actsAsUser, isInstanceAdmin, roleAtLeast, roleIn, type Principal } from "./principal";

/** What a call acts on, as named by its input, and the role it needs there. */
export type AccessTarget =
  | { kind: "public" }
  /** Any signed-in caller; the service scopes what it returns to the caller. */
  | { kind: "signedIn" }
  | { kind: "instanceAdmin" }
  /** `userReach`: an admin-scoped key acts with its user's role in any project (minting keys there). */
  | { kind: "project"; slug: string; field: string; role: ProjectRole; userReach?: boolean }
  /**
   * Run ids are unique per project, so they are looked up in a scope: `project` (a slug, from the
   * input's `project` field) when given, else the API key's project, else the projects the caller can read.
   */
  | { kind: "runs"; ids: string[]; field: string; role: ProjectRole; code?: "NOT_FOUND" | "BAD_REQUEST"; project?: string }
  /** An API key: its project's `role`, or the key's own user at any role. */
  | { kind: "apiKey"; id: string; field: string; role: ProjectRole; userReach?: boolean };

export type Authorized = {
  project?: Project;
  /** The named runs that exist (id → seq, project, status), resolved once for the whole request. */
  runs?: Map<string, ResolvedRun>;
};

/**
 * The one authorization check: every procedure runs it before its handler (see packages/api
 * trpc.ts). Something of a project the caller cannot read answers exactly like something that
 * does not exist (NOT_FOUND, same message); a readable one with too small a role is FORBIDDEN.
 * `principal` null means auth is off: targets are only resolved.
 */
export async function authorize(db: Db, principal: Principal | null, target: AccessTarget, authEnabled = true): Promise<Authorized> {
  if (target.kind === "public") return {};
  if (authEnabled && !principal) {
    throw new AppError("UNAUTHORIZED", "sign in, or send 'Authorization: Bearer <api key>' (see `finetrack keys create`)");
  }
  const caller = authEnabled ? principal : null;
  switch (target.kind) {
    case "signedIn":
      return {};
    case "instanceAdmin":
      if (caller && !isInstanceAdmin(caller)) throw new AppError("FORBIDDEN", "only an instance admin may do this (with a password session or an admin-scoped key)");
      return {};
    case "project": {
      const project = await db.prisma.project.findUnique({ where: { slug: target.slug }, select: projectSelect });
      if (!caller) {
        if (!project) throw notFoundProject(null, target.slug, target.field);
        return { project };
      }
      const role = project ? (target.userReach ? accountRoleIn(caller, project.id) : roleIn(caller, project.id)) : null;
      if (!project || !role) throw notFoundProject(caller, target.slug, target.field);
      checkRole(caller, role, target.role, `project '${project.slug}'`);
      return { project };
    }
    case "runs": {
      // A named project must be readable (else NOT_FOUND, like a missing one); runs are then looked up in it alone.
      // One of the caller's own roles names it without a query (the dashboard always names the project).
      const member = target.project && caller ? ownProjectId(caller, target.project) : undefined;
      const project = target.project && !member ? (await authorize(db, principal, { kind: "project", slug: target.project, field: "project", role: "viewer" }, authEnabled)).project : undefined;
      const scope = member ? [member] : project ? [project.id] : caller ? runScope(caller) : undefined;
      // Runs of projects the caller cannot read are never read, so they answer exactly like missing ones.
      const runs = pickRuns(await resolveRuns(db.pool, target.ids, scope), target.ids, { field: target.field });
      // Auth off: nothing to check, and the handler reports a missing run itself.
      if (caller) authorizeRuns(runs, caller, target);
      return { runs, project };
    }
    case "apiKey": {
      const key = await db.prisma.apiKey.findUnique({ where: { id: target.id }, select: { projectId: true, userId: true, project: { select: { slug: true } } } });
      const notFound = new AppError("NOT_FOUND", `API key '${target.id}' not found`, { field: target.field });
      if (!key) throw notFound;
      if (!caller || key.userId === caller.user.id) return {};
      const role = target.userReach ? accountRoleIn(caller, key.projectId) : roleIn(caller, key.projectId);
      if (!role) throw notFound;
      checkRole(caller, role, target.role, `project '${key.project.slug}'`);
      return {};
    }
  }
}

/**
 * The projects a caller may list (undefined: all of them). An admin-scoped key lists its user's
 * projects, since it may mint keys in them anyway; other keys only their own project.
 */
export function readableProjectIds(principal: Principal | null): string[] | undefined {
  if (!principal) return undefined;
  if (principal.key && !actsAsUser(principal)) return roleIn(principal, principal.key.projectId) ? [principal.key.projectId] : [];
  if (principal.user.isAdmin) return undefined;
  return [...principal.roles.keys()];
}

/** Where a caller's bare run ids are looked up: a key's own project, an instance admin's every project (undefined), a user's projects. */
function runScope(principal: Principal): string[] | undefined {
  if (principal.key) return [principal.key.projectId];
  if (principal.user.isAdmin) return undefined;
  return [...principal.roles.keys()];
}

/** The id of a project the caller holds a role in (a key: its own project), by slug; undefined when it must be looked up. */
function ownProjectId(principal: Principal, slug: string): string | undefined {
  if (principal.key) return principal.key.projectSlug === slug && roleIn(principal, principal.key.projectId) ? principal.key.projectId : undefined;
  return [...principal.roles].find(([, r]) => r.slug === slug)?.[0];
}

/** For services that resolve a run's project themselves (logMetrics, under its row lock). */
export function assertRunAccess(principal: Principal | null, projectId: string, runId: string, field: string, needed: ProjectRole): void {
  if (!principal) return;
  const role = roleIn(principal, projectId);
  if (!role) throw new AppError("NOT_FOUND", `run '${runId}' not found`, { field });
  checkRole(principal, role, needed, `the project of run '${runId}'`);
}

function notFoundProject(principal: Principal | null, slug: string, field: string): AppError {
  // The hint is the same whether the project is missing or foreign, so it reveals nothing.
  const mismatch = principal?.key && principal.key.projectSlug !== slug;
  const hint = mismatch ? ` (this API key is for project '${principal.key!.projectSlug}')` : "";
  // `reason` tells a client that a person must fix the key or the project, not that the input is bad.
  return new AppError("NOT_FOUND", `project '${slug}' not found${hint}`, { field, details: mismatch ? { reason: KEY_PROJECT_MISMATCH } : undefined });
}

function checkRole(principal: Principal, role: ProjectRole, needed: ProjectRole, where: string): void {
  if (roleAtLeast(role, needed)) return;
  const how = principal.key ? `this API key (scopes ${principal.key.scopes.join(",")}) acts as ${role} in ${where}` : `your role in ${where} is ${role}`;
  throw new AppError("FORBIDDEN", `${how}; this needs ${needed} (ask an owner of the project)`);
}

function authorizeRuns(runs: Map<string, ResolvedRun>, principal: Principal, target: Extract<AccessTarget, { kind: "runs" }>): void {
  // A run the caller cannot read is reported exactly like a missing one, at its position.
  const hidden = target.ids.findIndex((id) => !runs.has(id) || !roleIn(principal, runs.get(id)!.projectId));
  if (hidden >= 0) {
    const id = target.ids[hidden];
    const field = target.ids.length > 1 ? `${target.field}[${hidden}]` : target.field;
    throw new AppError(
      target.code ?? "NOT_FOUND",
      target.code === "BAD_REQUEST" ? `expected an existing run id, got '${id}'; create the run with run.create first` : `run '${id}' not found`,
      { field },
    );
  }
  for (const projectId of new Set([...runs.values()].map((r) => r.projectId))) checkRole(principal, roleIn(principal, projectId)!, target.role, "this run's project");
}
