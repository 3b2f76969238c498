import { MAX_POINTS_PER_BATCH, MAX_REQUEST_BYTES } from "@finetrack/contracts";

/** The strings that stand for the numbers plain JSON cannot spell, both ways. */
export const NON_FINITE = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity } as const;

export function readNonFinite(value: unknown): unknown {
  return typeof value === "string" && Object.hasOwn(NON_FINITE, value) ? NON_FINITE[value as keyof typeof NON_FINITE] : value;
}

/** A failure of the request itself (not of the procedure input): status, message, field. */
export class WireError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
  }
}

/** JSON text of a response: Dates as ISO strings (their toJSON), NaN and ±Infinity as "NaN", "Infinity", "-Infinity". */
export function encodeJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
}

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): Response {
  return new Response(encodeJson(value), { status, headers: { "content-type": "application/json; charset=utf-8", ...headers } });
}

export const tooLargeMessage = (maxBytes: number) =>
  `request body is larger than ${maxBytes} bytes; send at most ${MAX_POINTS_PER_BATCH} points per request and keep config/summary small`;

/**
 * The request body as a JSON object; an empty body reads as `{}`. The size cap is checked while
 * reading, so Next (which has no cap of its own) and the standalone server refuse the same bodies.
 */
export async function readJsonBody(req: Request, maxBytes = MAX_REQUEST_BYTES): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > maxBytes) {
        await reader.cancel();
        throw new WireError(413, "PAYLOAD_TOO_LARGE", tooLargeMessage(maxBytes));
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8").trim();
  if (text === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new WireError(400, "BAD_REQUEST", `the request body is not valid JSON (${(error as Error).message}); expected a JSON object such as {"points": [...]}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new WireError(400, "BAD_REQUEST", `expected a JSON object as the request body, got ${Array.isArray(parsed) ? "an array" : typeof parsed === "object" ? "null" : `a ${typeof parsed}`}`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Metric points as sent over plain JSON, made into what `metric.logBatch` takes: `value` may be
 * "NaN", "Infinity" or "-Infinity"; `time` may be an ISO 8601 string (or epoch milliseconds, as is).
 * Only these two fields are touched, in place; anything else is left for the contract to judge.
 */
export function decodePoints(points: unknown): unknown {
  if (!Array.isArray(points)) return points;
  for (let i = 0; i < points.length; i++) {
    const p = points[i];
    if (typeof p !== "object" || p === null) continue;
    const point = p as Record<string, unknown>;
    if (typeof point.value === "string") point.value = readNonFinite(point.value);
    if (typeof point.time === "string") {
      const ms = Date.parse(point.time);
      if (Number.isNaN(ms)) {
        throw new WireError(400, "BAD_REQUEST", `points[${i}].time: expected an ISO 8601 date string or milliseconds since the Unix epoch, got '${point.time.slice(0, 60)}'`, `points.${i}.time`);
      }
      point.time = new Date(ms);
    }
  }
  return points;
}
