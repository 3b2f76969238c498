import type { AddressInfo } from "node:net";
import { MAX_BATCH_CALLS, MAX_REQUEST_BYTES } from "@finetrack/contracts";
import { isDatabaseUnavailable, type Db } from "@finetrack/db";
import { stopSweepQueue } from "@finetrack/core";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { Readable } from "node:stream";
import { createHTTPHandler } from "@trpc/server/adapters/standalone";
import { createContext } from "./context";
import { startCrashMonitor } from "./crash-monitor";
import { readApiEnv } from "./env";
import { matchFetchRoute, type FetchRoute } from "./fetch-routes";
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
  /** Marks silent runs crashed; defaults to FINETRACK_CRASH_TIMEOUT_SECONDS; 0 disables. */
  crashTimeoutMs?: number;
}): Promise<HttpServer> {
  const env = readApiEnv();
  const authEnabled = opts.authEnabled ?? env.FINETRACK_AUTH === "on";
  const trpcHandler = createHTTPHandler({
    router: appRouter,
    basePath: `${TRPC_ENDPOINT}/`,
    maxBodySize: MAX_REQUEST_BYTES,
    maxBatchSize: MAX_BATCH_CALLS,
    createContext: ({ req, res }) =>
      createContext({
        db: opts.db,
        headers: toHeaders(req.headers),
        authEnabled,
        setCookie: (cookie) => res.appendHeader("Set-Cookie", cookie),
      }),
  });
  const server = createServer((req, res) => {
    const route = matchFetchRoute(new URL(req.url ?? "/", "http://localhost").pathname);
    if (!route) return trpcHandler(req, res);
    serveFetch(req, res, (request) => route.handle(request, { db: opts.db, authEnabled }), route.payloadTooLarge).catch((error) => {
      const unavailable = isDatabaseUnavailable(error);
      if (!res.headersSent) res.writeHead(unavailable ? 503 : 500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: unavailable ? "the database is unavailable; retry in a few seconds" : "internal error" }));
      if (!unavailable) console.error(error);
    });
  });
  server.keepAliveTimeout = 65_000;
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const crashTimeoutMs = opts.crashTimeoutMs ?? env.FINETRACK_CRASH_TIMEOUT_SECONDS * 1000;
  const stopMonitor = crashTimeoutMs > 0 ? startCrashMonitor(opts.db, { timeoutMs: crashTimeoutMs }) : () => {};
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}${TRPC_ENDPOINT}`,
    port,
    async close() {
      stopMonitor();
      server.closeIdleConnections?.();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      // The sweep queue (pg-boss) of this database, if a sweep call started it in this process.
      await stopSweepQueue(opts.db);
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

/** Runs a fetch-style handler for a Node request (body capped at MAX_REQUEST_BYTES). */
async function serveFetch(
  req: IncomingMessage,
  res: ServerResponse,
  handle: (request: Request) => Promise<Response>,
  tooLarge: FetchRoute["payloadTooLarge"],
): Promise<void> {
  const method = req.method ?? "GET";
  const chunks: Buffer[] = [];
  let bytes = 0;
  if (method !== "GET" && method !== "HEAD") {
    for await (const chunk of req) {
      bytes += (chunk as Buffer).length;
      if (bytes > MAX_REQUEST_BYTES) {
        // The rest of the body is never read, so this connection cannot carry another request.
        res.writeHead(413, { "content-type": "application/json", connection: "close" });
        res.end(JSON.stringify(tooLarge?.(MAX_REQUEST_BYTES) ?? { error_code: "INVALID_PARAMETER_VALUE", message: `request body is larger than ${MAX_REQUEST_BYTES} bytes` }));
        return;
      }
      chunks.push(chunk as Buffer);
    }
  }
  const request = new Request(new URL(req.url ?? "/", `http://${req.headers.host ?? "localhost"}`), {
    method,
    headers: toHeaders(req.headers),
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const response = await handle(request);
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, key) => {
    headers[key] = key === "set-cookie" ? response.headers.getSetCookie() : value;
  });
  res.writeHead(response.status, headers);
  if (response.body) Readable.fromWeb(response.body as never).pipe(res);
  else res.end();
}
