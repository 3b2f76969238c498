import { MAX_BATCH_CALLS, MAX_REQUEST_BYTES } from "@finetrack/contracts";
import type { Db } from "@finetrack/db";
import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "./context";
import { TRPC_ENDPOINT } from "./http-server";
import { appRouter } from "./root";

/**
 * A handler for Next's route (app/api/trpc/[trpc]/route.ts):
 * `const handler = createFetchHandler({ db }); export { handler as GET, handler as POST };`
 * Same body limit and context as the standalone server.
 */
export function createFetchHandler(opts: { db: Db | (() => Db | Promise<Db>); endpoint?: string; authEnabled?: boolean }) {
  return async (req: Request): Promise<Response> => {
    const db = typeof opts.db === "function" ? await opts.db() : opts.db;
    return fetchRequestHandler({
      endpoint: opts.endpoint ?? TRPC_ENDPOINT,
      req: limitBody(req, MAX_REQUEST_BYTES),
      router: appRouter,
      maxBatchSize: MAX_BATCH_CALLS,
      createContext: ({ resHeaders }) =>
        createContext({ db, headers: req.headers, url: req.url, authEnabled: opts.authEnabled, setCookie: (c) => resHeaders.append("Set-Cookie", c) }),
    });
  };
}

/** The request with a body that fails with PAYLOAD_TOO_LARGE past `maxBytes` (as the standalone adapter does). */
function limitBody(req: Request, maxBytes: number): Request {
  if (!req.body) return req;
  let seen = 0;
  const limited = req.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > maxBytes) controller.error(new TRPCError({ code: "PAYLOAD_TOO_LARGE" }));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(req.url, { method: req.method, headers: req.headers, body: limited, signal: req.signal, duplex: "half" } as RequestInit);
}
