import type { z } from "zod";

/** `points[3].step: expected a non-negative step; runId: expected a run id (string)` */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out || "input";
}

export function formatZodError(error: z.ZodError, maxIssues = 5): string {
  const parts = error.issues.slice(0, maxIssues).map((i) => `${formatIssuePath(i.path)}: ${i.message}`);
  const more = error.issues.length - maxIssues;
  return more > 0 ? `${parts.join("; ")} (and ${more} more)` : parts.join("; ");
}

/**
 * `data.reason` of an error that only a person can fix, though its code is NOT_FOUND: the API key
 * belongs to another project than the one named. A client keeps what it could not send (like an
 * auth refusal) instead of setting it aside as bad input.
 */
export const KEY_PROJECT_MISMATCH = "KEY_PROJECT_MISMATCH";
