import type { AppRouter } from "@finetrack/api";
import { createTRPCClient, httpLink, TRPCClientError } from "@trpc/client";
import { KEY_PROJECT_MISMATCH, wireTransformer, type LogBatchInput } from "@finetrack/contracts";

export type ApiClient = ReturnType<typeof createTRPCClient<AppRouter>>;

export function trpcEndpoint(url: string): string {
  const base = url.replace(/\/+$/, "");
  return base.endsWith("/api/trpc") ? base : `${base}/api/trpc`;
}

/**
 * The wire transformer (superjson's format, see contracts/transformer.ts), with a shortcut for the
 * SDK's own point batches, the bulk of what it sends: their shape is known (validated when logged),
 * so one flat loop decides that JSON holds them as they are, instead of a generic walk of every field.
 */
const sdkTransformer = {
  serialize: (value: unknown) => {
    if (value instanceof PreEncodedBatch) return { json: holdBody(value) };
    return isPlainPointBatch(value) ? { json: value } : wireTransformer.serialize(value);
  },
  deserialize: wireTransformer.deserialize,
} as typeof wireTransformer;

/**
 * A logBatch input whose points are already JSON text (durable mode wrote that text to the spool):
 * the transformer hands tRPC a token instead, and the fetch below splices the text into the body,
 * so a point is turned into JSON once, not once for the disk and again for the request.
 */
class PreEncodedBatch {
  constructor(
    readonly runId: string,
    readonly wire: string | string[],
  ) {}
}

export function preEncodedBatch(runId: string, wire: string | string[]): LogBatchInput {
  return new PreEncodedBatch(runId, wire) as unknown as LogBatchInput;
}

const TOKEN_PREFIX = "\u0001finetrack-pre-encoded-";
const heldBodies = new Map<string, PreEncodedBatch>();
let heldCount = 0;

function holdBody(batch: PreEncodedBatch): string {
  const token = `${TOKEN_PREFIX}${heldCount++}`;
  heldBodies.set(token, batch);
  // Bounded: a serialized request that was never fetched (aborted in between) is forgotten.
  if (heldBodies.size > 1_000) heldBodies.delete(heldBodies.keys().next().value!);
  return token;
}

/**
 * The real body for a request that carries a token (`{"json":"\u0001finetrack-pre-encoded-7"}`):
 * a Blob of the parts, encoded once, rather than one more joined copy of a megabyte string.
 */
function releaseBody(body: unknown): Blob | undefined {
  if (typeof body !== "string" || body.length > 100 || !body.startsWith('{"json":"\\u0001finetrack-pre-encoded-')) return undefined;
  const token = JSON.parse(body).json as string;
  const batch = heldBodies.get(token);
  heldBodies.delete(token);
  if (!batch) return undefined;
  const parts = Array.isArray(batch.wire) ? batch.wire.flatMap((part, i) => (i === 0 ? [part] : [",", part])) : [batch.wire];
  return new Blob([`{"json":{"runId":${JSON.stringify(batch.runId)},"points":[`, ...parts, "]}}"]);
}

function isPlainPointBatch(value: unknown): boolean {
  const batch = value as { runId?: unknown; points?: Array<{ value: number; epoch?: number | null; time?: unknown }> } | null;
  if (typeof batch !== "object" || batch === null || typeof batch.runId !== "string" || !Array.isArray(batch.points) || Object.keys(batch).length !== 2) return false;
  for (const point of batch.points) {
    // NaN, ±Infinity and -0 need superjson's annotations; a Date time too.
    if (!Number.isFinite(point.value) || Object.is(point.value, -0) || typeof point.time !== "number") return false;
    if (point.epoch != null && (!Number.isFinite(point.epoch) || Object.is(point.epoch, -0))) return false;
  }
  return true;
}

/**
 * A tRPC client for a finetrack server. Every request gives up after `timeoutMs`, and all requests
 * in flight are aborted when `signal` fires (a run that stops waiting).
 */
export function createApiClient(options: { url: string; apiKey?: string; timeoutMs?: number; signal?: AbortSignal }): ApiClient {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return createTRPCClient<AppRouter>({
    links: [
      httpLink({
        url: trpcEndpoint(options.url),
        transformer: sdkTransformer,
        headers: options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {},
        fetch: async (input, init) => {
          // One controller per request, unlinked afterwards: AbortSignal.any() on a long-lived
          // signal would pile up a listener per request.
          const controller = new AbortController();
          const timer = setTimeout(() => controller.abort(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
          const stop = () => controller.abort(options.signal?.reason);
          options.signal?.addEventListener("abort", stop);
          try {
            const body = releaseBody(init?.body) ?? init?.body;
            return await fetch(input, { ...(init as RequestInit), body: body as BodyInit, signal: controller.signal });
          } finally {
            clearTimeout(timer);
            options.signal?.removeEventListener("abort", stop);
          }
        },
      }),
    ],
  });
}

/**
 * retry: the server may succeed later (unreachable, timeout, 5xx, overloaded);
 * auth: the key is wrong (or for another project), nothing will succeed until a person fixes it;
 * reject: this one request is invalid (bad input, conflict) and will never succeed.
 */
export type ErrorKind = "retry" | "auth" | "reject";

/** One refused point of a logBatch, as the server lists it in `data.rejected`. */
export type PointRejection = { index: number; key?: string; step?: number; field?: string; message: string };

export type Failure = {
  kind: ErrorKind;
  code: string;
  message: string;
  /** The HTTP status, when the server answered. */
  httpStatus?: number;
  /** For a refused logBatch: every bad point (the rest of the batch was not written). */
  rejected?: PointRejection[];
};

/** Input the SDK will not send because the server would refuse it (or cannot encode it). */
export class RejectedInputError extends Error {
  constructor(
    message: string,
    readonly code = "BAD_REQUEST",
  ) {
    super(message);
  }
}

// 408 and 429 mean "later"; every other 4xx is the same answer next time.
const RETRY_CODES = new Set(["INTERNAL_SERVER_ERROR", "TIMEOUT", "TOO_MANY_REQUESTS", "CLIENT_CLOSED_REQUEST", "BAD_GATEWAY", "SERVICE_UNAVAILABLE", "GATEWAY_TIMEOUT"]);
const AUTH_CODES = new Set(["UNAUTHORIZED", "FORBIDDEN"]);

export function classifyError(error: unknown): Failure {
  if (error instanceof RejectedInputError) return { kind: "reject", code: error.code, message: error.message };
  if (error instanceof TRPCClientError) {
    const data = error.data as { code?: string; httpStatus?: number; field?: unknown; rejected?: unknown; reason?: unknown } | undefined;
    const code = data?.code;
    if (!code) return { kind: "retry", code: "NETWORK", message: describeCause(error) };
    const httpStatus = data?.httpStatus;
    // "project 'x' not found (this API key is for project 'p')": the key or the project is wrong, not the data.
    if (AUTH_CODES.has(code) || data?.reason === KEY_PROJECT_MISMATCH) return { kind: "auth", code, httpStatus, message: error.message };
    if (RETRY_CODES.has(code) || (httpStatus ?? 0) >= 500) return { kind: "retry", code, httpStatus, message: error.message };
    return { kind: "reject", code, httpStatus, message: error.message, rejected: pointRejections(data?.rejected) ?? fieldRejection(data?.field, error.message) };
  }
  return { kind: "retry", code: "NETWORK", message: describeCause(error) };
}

/** A refusal without a list that names one point's field (`points.3.key`) still refuses only that point. */
function fieldRejection(field: unknown, message: string): PointRejection[] | undefined {
  const match = typeof field === "string" ? /^points[.[](\d+)\]?(?:\.(.+))?$/.exec(field) : null;
  if (!match) return undefined;
  return [{ index: Number(match[1]), field: match[2], message: message.replace(/^points[.[]\d+\]?\.?[^:]*: /, "") }];
}

function pointRejections(value: unknown): PointRejection[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const list = value.filter((r): r is PointRejection => typeof r === "object" && r !== null && Number.isInteger(r.index) && r.index >= 0);
  return list.length > 0 ? list : undefined;
}

/** "fetch failed" says nothing; the useful part (ECONNREFUSED 127.0.0.1:3000) is in the cause chain. */
function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const message = current instanceof Error ? current.message : String(current);
    if (message && !parts.includes(message)) parts.push(message);
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join(": ") || "unknown network error";
}
