import type { Db } from "@finetrack/db";

/**
 * HTTP APIs beside tRPC (the MLflow-compatible REST API, the plain-JSON REST API and its OpenAPI
 * document): each is a fetch handler under a path prefix. The standalone server (`createHttpServer`)
 * dispatches to them here; Next mounts the same handlers in its catch-all route files, so both
 * servers answer the same paths the same way.
 */
export type FetchRoute = {
  /** Path prefix, e.g. "/api/2.0/mlflow/"; the longest matching prefix wins. */
  prefix: string;
  handle(req: Request, opts: { db: Db; authEnabled?: boolean }): Promise<Response>;
  /** The JSON body of the 413 the standalone server answers for a body over the limit (default: MLflow's error shape). */
  payloadTooLarge?: (maxBytes: number) => unknown;
};

const routes: FetchRoute[] = [];

/** Registers a route; called once per API at module load (see index.ts). */
export function registerFetchRoute(route: FetchRoute): void {
  if (!routes.some((r) => r.prefix === route.prefix)) routes.push(route);
  routes.sort((a, b) => b.prefix.length - a.prefix.length);
}

export function matchFetchRoute(pathname: string): FetchRoute | undefined {
  return routes.find((r) => pathname === r.prefix.replace(/\/$/, "") || pathname.startsWith(r.prefix));
}
