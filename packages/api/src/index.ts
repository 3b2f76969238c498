export { appRouter, createCaller, type AppRouter } from "./root";
export { createContext, createContextInner, type Context } from "./context";
export { createHttpServer, TRPC_ENDPOINT, type HttpServer } from "./http-server";
export { createFetchHandler } from "./fetch-handler";
export { startCrashMonitor } from "./crash-monitor";
export { router, publicProcedure, readProcedure, writeProcedure, adminProcedure } from "./trpc";
export { readApiEnv } from "./env";
export { registerFetchRoute, matchFetchRoute, type FetchRoute } from "./fetch-routes";
