import type { ApiKeyScope } from "@finetrack/contracts";
import { AppError } from "../shared/app-error";

/** Who is calling: an API key, or a dashboard session that was opened with one. */
export type Principal = {
  via: "apiKey" | "session";
  keyId: string;
  projectId: string;
  projectSlug: string;
  scopes: ApiKeyScope[];
};

/** admin implies write and read; write implies read (an SDK key may read back what it logged). */
export function hasScope(principal: Principal, needed: ApiKeyScope): boolean {
  const s = principal.scopes;
  if (s.includes("admin")) return true;
  if (needed === "read") return s.includes("read") || s.includes("write");
  return s.includes(needed);
}

export function assertScope(principal: Principal, needed: ApiKeyScope): void {
  if (!hasScope(principal, needed)) {
    throw new AppError("FORBIDDEN", `this API key (${principal.projectSlug}) lacks the '${needed}' scope; create a key with it`);
  }
}

export function assertProject(principal: Principal, projectId: string, what = "this project"): void {
  if (principal.projectId !== projectId) {
    throw new AppError("FORBIDDEN", `this API key belongs to project '${principal.projectSlug}' and cannot access ${what}`);
  }
}
