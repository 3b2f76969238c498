import { SESSION_COOKIE } from "@finetrack/contracts";

/** HttpOnly, SameSite=Lax, and Secure when the request came over HTTPS. */
export function sessionCookie(secret: string, maxAgeS: number, secure: boolean): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(secret)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAgeS))}${secure ? "; Secure" : ""}`;
}
