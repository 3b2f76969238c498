import { wireTransformer, type ApiKeyScope } from "@finetrack/contracts";
import { AppError, isAppError, assertProject, assertScope, getProject, getRunProjects, getApiKeyProject } from "@finetrack/core";
import { initTRPC } from "@trpc/server";
import type { Context } from "./context";
import { formatError, toTRPCError } from "./errors";

const t = initTRPC.context<Context>().create({
  transformer: wireTransformer,
  errorFormatter({ shape, error }) {
    const { message, field } = formatError(error);
    return { ...shape, message, data: { ...shape.data, field, stack: undefined } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

/** Domain errors become tRPC errors here, once, for every procedure. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isAppError(result.error.cause)) throw toTRPCError(result.error.cause);
  return result;
});

/**
 * Authorization checks the handlers call before touching data: each resolves what the input names
 * (a project slug, run ids, a key id) and checks the caller may use it. With auth off they only
 * resolve.
 */
function accessFor(ctx: Context, scope: ApiKeyScope) {
  const check = (projectId: string, what: string) => {
    if (ctx.authEnabled && ctx.principal) assertProject(ctx.principal, projectId, what);
  };
  return {
    /** For services that resolve the project themselves (logMetrics, under its row lock). */
    assertProjectId: check,
    async project(slug: string, field = "project") {
      const project = await getProject(ctx.db, slug, field);
      check(project.id, `project '${slug}'`);
      return project;
    },
    async runs(ids: string[], options: { field?: string; code?: "NOT_FOUND" | "BAD_REQUEST" } = {}) {
      const projects = await getRunProjects(ctx.db, ids, options);
      for (const [id, projectId] of projects) check(projectId, `run '${id}'`);
      return projects;
    },
    async apiKey(id: string) {
      check((await getApiKeyProject(ctx.db, id)).projectId, `API key '${id}'`);
    },
    scope,
  };
}

function requireScope(scope: ApiKeyScope) {
  return t.middleware(({ ctx, next }) => {
    if (ctx.authEnabled) {
      if (ctx.authError) throw ctx.authError;
      if (!ctx.principal) {
        throw new AppError("UNAUTHORIZED", `this request needs an API key with '${scope}' scope: send 'Authorization: Bearer <key>' (see \`finetrack keys create\`)`);
      }
      assertScope(ctx.principal, scope);
    }
    return next({ ctx: { access: accessFor(ctx, scope) } });
  });
}

export const publicProcedure = t.procedure.use(mapErrors);
export const readProcedure = publicProcedure.use(requireScope("read"));
export const writeProcedure = publicProcedure.use(requireScope("write"));
export const adminProcedure = publicProcedure.use(requireScope("admin"));
