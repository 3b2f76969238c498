import { Id, ProjectSlug, RunId, wireTransformer, type ProjectRole } from "@finetrack/contracts";
import { AppError, assertRunAccess, authorize, isAppError, readableProjectIds, type AccessTarget, type Authorized } from "@finetrack/core";
import type { ResolvedRun } from "@finetrack/db";
import { initTRPC } from "@trpc/server";
import type { Context } from "./context";
import { formatError, toTRPCError, toUnavailableError } from "./errors";

/**
 * What a procedure's input names, so that authorization runs before the handler, for every
 * procedure, in one place. `field` is the input property holding the project slug, run id(s) or key id.
 */
export type Access =
  | { public: true }
  | { signedIn: true }
  | { instanceAdmin: true }
  /** Projects are filtered by the handler with `ctx.access.readableProjectIds()`. */
  | { listing: true }
  | { project: string; role: ProjectRole; userReach?: boolean }
  | { runs: string; role: ProjectRole; code?: "NOT_FOUND" | "BAD_REQUEST" }
  | { apiKey: string; role: ProjectRole; userReach?: boolean };

export type Meta = { access: Access };

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: wireTransformer,
    errorFormatter({ shape, error }) {
      const { message, ...data } = formatError(error);
      return { ...shape, message, data: { ...shape.data, ...data, stack: undefined } };
    },
  });

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become tRPC errors here, once, for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTRPCError(result.error.cause);
  const unavailable = !result.ok && toUnavailableError(result.error.cause);
  if (unavailable) throw unavailable;
  return result;
});

const FieldParsers = { project: ProjectSlug, runs: RunId, apiKey: Id } as const;

/** The declared field of the raw input, validated like the input schema would (a 400 naming it otherwise). */
function readField(raw: unknown, field: string, kind: keyof typeof FieldParsers, many = false): string[] {
  const value = raw && typeof raw === "object" ? (raw as Record<string, unknown>)[field] : undefined;
  const values = many && Array.isArray(value) ? value : [value];
  if (many && Array.isArray(value) && value.length === 0) throw new AppError("BAD_REQUEST", `expected at least one ${kind === "runs" ? "run id" : "project slug"}`, { field });
  return values.map((v, i) => {
    const parsed = FieldParsers[kind].safeParse(v);
    if (!parsed.success) throw new AppError("BAD_REQUEST", parsed.error.issues[0].message, { field: Array.isArray(value) ? `${field}[${i}]` : field });
    return parsed.data;
  });
}

/** The checks a call needs: one per project slug when the declared field holds several. */
function toTargets(access: Access, raw: unknown): AccessTarget[] {
  if ("public" in access) return [{ kind: "public" }];
  if ("signedIn" in access || "listing" in access) return [{ kind: "signedIn" }];
  if ("instanceAdmin" in access) return [{ kind: "instanceAdmin" }];
  if ("project" in access) {
    const slugs = readField(raw, access.project, "project", true);
    return slugs.map((slug, i) => ({ kind: "project", slug, field: slugs.length > 1 ? `${access.project}[${i}]` : access.project, role: access.role, userReach: access.userReach }));
  }
  if ("runs" in access) {
    // Run ids are unique per project: an optional `project` beside them says where to look them up.
    const project = raw && typeof raw === "object" && (raw as Record<string, unknown>).project !== undefined ? readField(raw, "project", "project")[0] : undefined;
    return [{ kind: "runs", ids: readField(raw, access.runs, "runs", true), field: access.runs, role: access.role, code: access.code, project }];
  }
  return [{ kind: "apiKey", id: readField(raw, access.apiKey, "apiKey")[0], field: access.apiKey, role: access.role, userReach: access.userReach }];
}

/**
 * Helpers for handlers, over what the middleware already resolved and checked. Calling one for
 * something else checks it again (same rule, same role), so a handler cannot widen access.
 */
function accessFor(ctx: Context, role: ProjectRole, resolved: Authorized[]) {
  const projects = new Map(resolved.flatMap((r) => (r.project ? [[r.project.slug, r.project] as const] : [])));
  const known = resolved.find((r) => r.runs)?.runs;
  const principal = ctx.authEnabled ? ctx.principal : null;
  const again = (target: AccessTarget) => authorize(ctx.db, principal, target, ctx.authEnabled);
  return {
    role,
    async project(slug: string, field = "project") {
      const project = projects.get(slug);
      if (project) return project;
      return (await again({ kind: "project", slug, field, role })).project!;
    },
    /**
     * The runs of `ids` (id → seq, project, status), checked: resolved once by the middleware and
     * passed down to the service, so no handler looks them up again. With auth off it holds those
     * that exist, and the service reports a missing one.
     */
    async runs(ids: string[], options: { field?: string; code?: "NOT_FOUND" | "BAD_REQUEST"; project?: string } = {}): Promise<Map<string, ResolvedRun>> {
      if (known && ids.every((id) => known.has(id))) return known;
      return (await again({ kind: "runs", ids, field: options.field ?? "id", role, code: options.code, project: options.project })).runs!;
    },
    async apiKey(id: string) {
      await again({ kind: "apiKey", id, field: "id", role });
    },
    /** For services that resolve a run's project themselves (logMetrics, under its row lock). */
    assertProjectId(projectId: string, what: string) {
      assertRunAccess(principal, projectId, what.replace(/^run '(.*)'$/, "$1"), "runId", role);
    },
    /** Projects the caller may see in a list (undefined: every project). */
    readableProjectIds: () => readableProjectIds(principal),
  };
}

function authorized(access: Access) {
  const role: ProjectRole = "role" in access ? access.role : "viewer";
  return publicBase.meta({ access }).use(async ({ ctx, next, getRawInput }) => {
    if (ctx.authEnabled && ctx.authError && !("public" in access)) throw ctx.authError;
    const needsInput = "project" in access || "runs" in access || "apiKey" in access;
    const resolved: Authorized[] = [];
    for (const target of toTargets(access, needsInput ? await getRawInput() : undefined)) resolved.push(await authorize(ctx.db, ctx.principal, target, ctx.authEnabled));
    return next({ ctx: { access: accessFor(ctx, role, resolved) } });
  });
}

const publicBase = t.procedure.use(mapErrors);

/**
 * `userReach`: account-level work (keys, members) where an admin-scoped key acts with its user's
 * role in any project, not only the key's own; project data stays within the key's project.
 */
type Target = { project: string; userReach?: boolean } | { runs: string; code?: "NOT_FOUND" | "BAD_REQUEST" } | { apiKey: string; userReach?: boolean } | "listing";

const GUIDE =
  "name what the input points at: readProcedure({ project: 'project' }) | writeProcedure({ runs: 'id' }) | adminProcedure({ apiKey: 'id' }) | readProcedure('listing') (see packages/api/src/trpc.ts)";
type Guide = (declareTarget: typeof GUIDE) => never;
const guide: Guide = () => {
  throw new Error(`a project procedure must ${GUIDE}`);
};

/** `kind(...)(target)`; `kind(...).input(...)` without a target is a compile error that says what to write. */
function kind(role: ProjectRole) {
  const make = (target: Target) => authorized(target === "listing" ? { listing: true } : { ...target, role });
  return Object.assign(make, { input: guide, query: guide, mutation: guide });
}

/** No credentials needed (health, sign-in, who am I). */
export const publicProcedure = authorized({ public: true });
/** Any signed-in caller; the handler only touches the caller's own things (sessions, own keys). */
export const signedInProcedure = authorized({ signedIn: true });
/** Instance admins only (users). */
export const instanceAdminProcedure = authorized({ instanceAdmin: true });
/**
 * Project procedures name what their input points at, e.g. `readProcedure({ project: "project" })`,
 * `writeProcedure({ runs: "id" })`, `adminProcedure({ apiKey: "id" })`, `readProcedure("listing")`.
 * viewer reads, editor (write) logs and edits runs, owner (admin) manages members and keys.
 */
export const readProcedure = kind("viewer");
export const writeProcedure = kind("editor");
export const adminProcedure = kind("owner");
