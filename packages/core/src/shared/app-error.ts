/** Domain error codes; the API maps each to a tRPC code in one place (packages/api/src/errors.ts). */
export type AppErrorCode =
  | "BAD_REQUEST"
  | "UNAUTHORIZED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "PAYLOAD_TOO_LARGE"
  | "INTERNAL";

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** The input field the error is about, e.g. `points[3].step` or `runId`. */
  readonly field?: string;
  readonly details?: Record<string, unknown>;

  constructor(code: AppErrorCode, message: string, options: { field?: string; details?: Record<string, unknown>; cause?: unknown } = {}) {
    super(options.field ? `${options.field}: ${message}` : message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.field = options.field;
    this.details = options.details;
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
