import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type ProxiedRequest = { path: string; body: string };
/** An answer the proxy gives instead of the server: a tRPC error, as the real server would shape it. */
export type InjectedError = { httpStatus: number; code: string; message: string };

export type FaultProxy = {
  url: string;
  /** Every request that reached the proxy, in order. */
  requests: ProxiedRequest[];
  /** Decides, per request, whether to answer with an error instead of forwarding it. */
  inject: ((request: ProxiedRequest) => InjectedError | null) | null;
  close(): Promise<void>;
};

const JSON_RPC_CODE: Record<string, number> = { INTERNAL_SERVER_ERROR: -32603, BAD_REQUEST: -32600, SERVICE_UNAVAILABLE: -32603 };

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = "";
    request.setEncoding("utf8");
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => resolve(body));
    request.on("error", reject);
  });
}

/**
 * An HTTP proxy in front of the real API server that counts requests and can make chosen ones fail
 * (a server bug that answers 500 every time): a fault injector, not a stand-in for the server.
 */
export async function startFaultProxy(targetUrl: string): Promise<FaultProxy> {
  const proxy: FaultProxy = { url: "", requests: [], inject: null, close: async () => {} };
  const forward = async (request: IncomingMessage, response: ServerResponse) => {
    const body = await readBody(request);
    const seen = { path: request.url ?? "/", body };
    proxy.requests.push(seen);
    const fault = proxy.inject?.(seen);
    if (fault) {
      const path = seen.path.replace(/^\/api\/trpc\//, "").split("?")[0];
      const error = { message: fault.message, code: JSON_RPC_CODE[fault.code] ?? -32600, data: { code: fault.code, httpStatus: fault.httpStatus, path } };
      response.writeHead(fault.httpStatus, { "content-type": "application/json" });
      response.end(JSON.stringify({ error: { json: error } }));
      return;
    }
    try {
      const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !["host", "content-length", "connection"].includes(name))) as Record<string, string>;
      const answer = await fetch(`${targetUrl}${seen.path}`, { method: request.method, headers, body: request.method === "GET" || request.method === "HEAD" ? undefined : body });
      response.writeHead(answer.status, { "content-type": answer.headers.get("content-type") ?? "application/json" });
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      response.destroy();
    }
  };
  // A request that breaks before its answer (the client gone mid-body) ends its socket, not the test process.
  const server = createServer((request, response) => {
    forward(request, response).catch(() => response.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  proxy.close = () => new Promise((resolve) => server.close(() => resolve()));
  return proxy;
}

/** The logBatch requests among `requests`. */
export const logBatchRequests = (requests: ProxiedRequest[]) => requests.filter((r) => r.path.includes("metric.logBatch"));
