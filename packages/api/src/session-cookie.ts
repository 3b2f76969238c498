import { SESSION_COOKIE } from "@finetrack/contracts";

export function sessionCookie(secret: string, maxAgeS: number): string {
  return `${SESSION_COOKIE}=${encodeURIComponent(secret)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=${Math.max(0, Math.floor(maxAgeS))}`;
}
