export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, createContextInner, type Context } from "./context";
export { createHttpServer, TRPC_ENDPOINT, type HttpServer } from "./http-server";
export { createFetchHandler } from "./fetch-handler";
export { startCrashMonitor } from "./crash-monitor";
export { router, publicProcedure, signedInProcedure, instanceAdminProcedure, readProcedure, writeProcedure, adminProcedure, type Access, type Meta } from "./trpc";
export { readApiEnv } from "./env";
export { assertAuthOffAllowed, isLoopbackHost } from "./auth-off";
export { registerFetchRoute, matchFetchRoute, type FetchRoute } from "./fetch-routes";
export { restApiRoute, handleRestRequest, REST_PREFIX, OPENAPI_PATH, API_DOCS_PAGE } from "./rest/handler";
export { openApiRoute, openApiDocument } from "./rest/openapi";
export { REST_ROUTES, type RestRoute } from "./rest/routes";
export { handleMlflowRequest, MLFLOW_PREFIXES } from "./mlflow/handler";

import { registerFetchRoute } from "./fetch-routes";
import { restApiRoute } from "./rest/handler";
import { openApiRoute } from "./rest/openapi";
import { handleMlflowRequest, MLFLOW_PREFIXES } from "./mlflow/handler";

// The plain-JSON REST API and its OpenAPI document, on the standalone server (Next mounts the same handlers).
registerFetchRoute(restApiRoute);
registerFetchRoute(openApiRoute);

// The MLflow-compatible REST API 2.0, under both of MLflow's prefixes.
for (const prefix of MLFLOW_PREFIXES) registerFetchRoute({ prefix, handle: handleMlflowRequest });
