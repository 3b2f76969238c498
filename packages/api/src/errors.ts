import { formatZodError, MAX_POINTS_PER_BATCH, MAX_REQUEST_BYTES } from "@finetrack/contracts";
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

/** Messages that name the field; `data.field` carries it for programs. */
export function formatError(error: TRPCError): { message: string; field: string | null } {
  const cause = error.cause;
  if (cause instanceof ZodError) return { message: formatZodError(cause), field: cause.issues[0]?.path.join(".") || null };
  if (isAppError(cause)) return { message: error.message, field: cause.field ?? null };
  if (error.code === "PAYLOAD_TOO_LARGE") return { message: PAYLOAD_MESSAGE, field: null };
  return { message: error.message, field: null };
}
