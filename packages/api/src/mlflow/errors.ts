import { formatZodError } from "@finetrack/contracts";
import { isAppError, type AppErrorCode } from "@finetrack/core";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";

/** MLflow's error codes and their HTTP statuses (mlflow/server/handlers.py). */
export const MLFLOW_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  INVALID_STATE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  INTERNAL_ERROR: 500,
} as const;
export type MlflowErrorCode = keyof typeof MLFLOW_STATUS;

const FROM_APP: Record<AppErrorCode, MlflowErrorCode> = {
  BAD_REQUEST: "INVALID_PARAMETER_VALUE",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "PERMISSION_DENIED",
  NOT_FOUND: "RESOURCE_DOES_NOT_EXIST",
  CONFLICT: "RESOURCE_ALREADY_EXISTS",
  PAYLOAD_TOO_LARGE: "INVALID_PARAMETER_VALUE",
  INTERNAL: "INTERNAL_ERROR",
};

const FROM_TRPC: Partial<Record<TRPCError["code"], MlflowErrorCode>> = {
  BAD_REQUEST: "INVALID_PARAMETER_VALUE",
  PARSE_ERROR: "INVALID_PARAMETER_VALUE",
  UNAUTHORIZED: "UNAUTHENTICATED",
  FORBIDDEN: "PERMISSION_DENIED",
  NOT_FOUND: "RESOURCE_DOES_NOT_EXIST",
  CONFLICT: "RESOURCE_ALREADY_EXISTS",
  PAYLOAD_TOO_LARGE: "INVALID_PARAMETER_VALUE",
};

/** Our field names in messages, as the MLflow request spells them. */
const FIELD_NAMES: Record<string, string> = { id: "run_id", runId: "run_id", slug: "experiment_id", project: "experiment_id" };

export class MlflowError extends Error {
  constructor(readonly code: MlflowErrorCode, message: string) {
    super(message);
  }
}

export function mlflowErrorResponse(code: MlflowErrorCode, message: string): Response {
  return Response.json({ error_code: code, message }, { status: MLFLOW_STATUS[code] });
}

/** Any failure as MLflow's `{error_code, message}`; only an unexpected one is a 500 (and logged). */
export function toMlflowErrorResponse(error: unknown): Response {
  if (error instanceof MlflowError) return mlflowErrorResponse(error.code, error.message);
  const cause = error instanceof TRPCError ? (error.cause ?? error) : error;
  if (isAppError(cause)) {
    const renamed = cause.field && FIELD_NAMES[cause.field] ? cause.message.replace(`${cause.field}: `, `${FIELD_NAMES[cause.field]}: `) : cause.message;
    return mlflowErrorResponse(FROM_APP[cause.code], renamed);
  }
  if (cause instanceof ZodError) return mlflowErrorResponse("INVALID_PARAMETER_VALUE", formatZodError(cause));
  if (error instanceof TRPCError && FROM_TRPC[error.code]) return mlflowErrorResponse(FROM_TRPC[error.code]!, error.message);
  console.error(error);
  return mlflowErrorResponse("INTERNAL_ERROR", "internal error; see the server log");
}
