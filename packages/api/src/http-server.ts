import type { AddressInfo } from "node:net";
import { MAX_REQUEST_BYTES } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { createHTTPServer } from "@trpc/server/adapters/standalone";
import { createContext } from "./context";
import { startCrashMonitor } from "./crash-monitor";
import { readApiEnv } from "./env";
import { appRouter } from "./root";

export const TRPC_ENDPOINT = "/api/trpc";

export type HttpServer = { url: string; port: number; close(): Promise<void> };

/**
 * The API over real HTTP at `<url>` = http://host:port/api/trpc (the same path Next serves), for
 * `finetrack server`, tests and the SDK.
 */
export async function createHttpServer(opts: {
  db: Db;
  port?: number;
  host?: string;
  authEnabled?: boolean;
  /** Marks silent runs crashed; defaults to FINETRACK_CRASH_TIMEOUT_S; 0 disables. */
  crashTimeoutMs?: number;
}): Promise<HttpServer> {
  const env = readApiEnv();
  const authEnabled = opts.authEnabled ?? env.FINETRACK_AUTH === "on";
  const server = createHTTPServer({
    router: appRouter,
    basePath: `${TRPC_ENDPOINT}/`,
    maxBodySize: MAX_REQUEST_BYTES,
    createContext: ({ req, res }) =>
      createContext({
        db: opts.db,
        headers: toHeaders(req.headers),
        authEnabled,
        setCookie: (cookie) => res.appendHeader("Set-Cookie", cookie),
      }),
  });
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const crashTimeoutMs = opts.crashTimeoutMs ?? env.FINETRACK_CRASH_TIMEOUT_S * 1000;
  const stopMonitor = crashTimeoutMs > 0 ? startCrashMonitor(opts.db, { timeoutMs: crashTimeoutMs }) : () => {};
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}${TRPC_ENDPOINT}`,
    port,
    async close() {
      stopMonitor();
      server.closeIdleConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function toHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const headers = new Headers();
  for (const [k, v] of Object.entries(raw)) {
    if (Array.isArray(v)) for (const x of v) headers.append(k, x);
    else if (v !== undefined) headers.set(k, v);
  }
  return headers;
}
