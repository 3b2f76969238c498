import { displayText, formatZodError, MAX_BATCH_CALLS, MAX_POINTS_PER_BATCH, MAX_REQUEST_BYTES, WireInputError, type RejectedPoint } from "@finetrack/contracts";
import { isAppError, type AppError, type AppErrorCode } from "@finetrack/core";
import { isDatabaseUnavailable } from "@finetrack/db";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";

/** The one place domain error codes become tRPC (and so HTTP) codes. */
const TRPC_CODE: Record<AppErrorCode, TRPC_ERROR_CODE_KEY> = {
  BAD_REQUEST: "BAD_REQUEST",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  INTERNAL: "INTERNAL_SERVER_ERROR",
};

export function toTRPCError(error: AppError): TRPCError {
  return new TRPCError({ code: TRPC_CODE[error.code], message: error.message, cause: error });
}

/**
 * A database that is down or restarting is the server's state, not the request's fault: 503, so
 * clients retry (the SDK spools and backs off) while the server reconnects by itself.
 */
export function toUnavailableError(cause: unknown): TRPCError | undefined {
  if (!isDatabaseUnavailable(cause)) return undefined;
  return new TRPCError({ code: "SERVICE_UNAVAILABLE", message: "the database is unavailable (restarting or unreachable); retry in a few seconds", cause });
}

const PAYLOAD_MESSAGE = `request body exceeds the ${MAX_REQUEST_BYTES} byte limit; send at most ${MAX_POINTS_PER_BATCH} points per metric.logBatch call and keep config/summary small`;

const INTERNAL_MESSAGE = "internal server error; the server logged the cause";

export type FormattedError = {
  message: string;
  field: string | null;
  /** A refused metric.logBatch: every bad point (nothing of the batch was stored). */
  rejected?: RejectedPoint[];
  /** Why, for a client, when the code alone misleads (see KEY_PROJECT_MISMATCH in contracts). */
  reason?: string;
};

/**
 * Messages that name the field and what was expected; `data.field` carries it for programs, and
 * `data.rejected` the bad points of a refused batch. An unexpected error (a bug, a database error)
 * shows no internals (SQL, constraint names, paths, ports): clients get a fixed message and the
 * server logs the cause.
 */
export function formatError(error: TRPCError): FormattedError {
  const f = formatCause(error);
  // A message may quote the bad input (a key with a lone surrogate): keep the answer valid text.
  return { ...f, message: displayText(f.message), field: f.field === null ? null : displayText(f.field) };
}

function formatCause(error: TRPCError): FormattedError {
  const cause = error.cause;
  if (cause instanceof ZodError) return { message: formatZodError(cause), field: cause.issues[0]?.path.join(".") || null, ...rejectedOf(cause) };
  if (cause instanceof WireInputError) return { message: cause.message, field: cause.field, ...rejectedOf(cause) };
  if (isAppError(cause)) return { message: error.message, field: cause.field ?? null, ...rejectedOf(cause.details), ...reasonOf(cause.details) };
  if (error.code === "PAYLOAD_TOO_LARGE") return { message: PAYLOAD_MESSAGE, field: null };
  if (error.code === "BAD_REQUEST" && error.message === "Batch call exceeds maximum size") {
    return { message: `expected at most ${MAX_BATCH_CALLS} calls in one batched request; split the batch`, field: null };
  }
  if (error.code === "INTERNAL_SERVER_ERROR") {
    console.error("finetrack api: internal error", cause ?? error);
    return { message: INTERNAL_MESSAGE, field: null };
  }
  return { message: error.message, field: null };
}

function rejectedOf(source: unknown): { rejected?: RejectedPoint[] } {
  const rejected = (source as { rejected?: unknown } | undefined)?.rejected;
  return Array.isArray(rejected) ? { rejected: rejected as RejectedPoint[] } : {};
}

function reasonOf(details: Record<string, unknown> | undefined): { reason?: string } {
  return typeof details?.reason === "string" ? { reason: details.reason } : {};
}
