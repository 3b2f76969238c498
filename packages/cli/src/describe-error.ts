import { classifyError } from "@finetrack/sdk";
import { TRPCClientError } from "@trpc/client";

/** One line that says what went wrong and what to do, for errors that reach the top of a command. */
export function describeError(error: unknown): string {
  if (!(error instanceof TRPCClientError) && !(error instanceof TypeError && error.message === "fetch failed")) {
    return (error as Error)?.message ?? String(error);
  }
  const failure = classifyError(error);
  if (failure.code === "NETWORK") return `cannot reach the finetrack server (${failure.message}); is \`finetrack server\` running? Pass --url or set FINETRACK_URL`;
  return `${failure.code}: ${failure.message}`;
}
