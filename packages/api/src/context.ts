import { SESSION_COOKIE } from "@finetrack/contracts";
import { authenticate, type Principal } from "@finetrack/core";
import type { Db } from "@finetrack/db";
import { readApiEnv } from "./env";
import { sessionCookie } from "./session-cookie";

export type Context = {
  db: Db;
  authEnabled: boolean;
  principal: Principal | null;
  /** Why the credentials sent were refused; raised by procedures that need them. */
  authError: unknown;
  sessionSecret: string | null;
  /** The request came over HTTPS (the URL, or `X-Forwarded-Proto` from a proxy): cookies get `Secure`. */
  secure: boolean;
  userAgent: string;
  /** Adds a Set-Cookie header to the response (sign-in / sign-out). */
  setCookie: (cookie: string) => void;
};

/** The context without HTTP: tests build it with a principal directly. */
export function createContextInner(opts: {
  db: Db;
  principal?: Principal | null;
  authEnabled?: boolean;
  authError?: unknown;
  sessionSecret?: string | null;
  secure?: boolean;
  userAgent?: string;
  setCookie?: (cookie: string) => void;
}): Context {
  return {
    db: opts.db,
    authEnabled: opts.authEnabled ?? readApiEnv().FINETRACK_AUTH === "on",
    principal: opts.principal ?? null,
    authError: opts.authError ?? null,
    sessionSecret: opts.sessionSecret ?? null,
    secure: opts.secure ?? false,
    userAgent: opts.userAgent ?? "",
    setCookie: opts.setCookie ?? (() => {}),
  };
}

export function readCookie(header: string | null | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeCookieValue(part.slice(eq + 1).trim());
  }
  return null;
}

/** A malformed `%` escape is not ours (no cookie we set has one): ignored, never an error for the whole request. */
function decodeCookieValue(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/** The context of an HTTP request: credentials from `Authorization` or the session cookie. */
export async function createContext(opts: {
  db: Db;
  headers: Headers;
  /** The request URL, when the adapter knows it (https: means Secure cookies). */
  url?: string;
  authEnabled?: boolean;
  setCookie?: (cookie: string) => void;
}): Promise<Context> {
  const authEnabled = opts.authEnabled ?? readApiEnv().FINETRACK_AUTH === "on";
  const authorization = opts.headers.get("authorization");
  const sessionSecret = readCookie(opts.headers.get("cookie"), SESSION_COOKIE);
  let principal: Principal | null = null;
  let authError: unknown = null;
  const secure = isHttps(opts.headers, opts.url);
  const setCookie = opts.setCookie ?? (() => {});
  if (authEnabled) {
    try {
      principal = await authenticate(opts.db, { authorization, sessionSecret });
      const rotated = principal?.rotatedSecret;
      if (rotated) setCookie(sessionCookie(rotated.secret, (rotated.expiresAt.getTime() - Date.now()) / 1000, secure));
    } catch (error) {
      authError = error;
    }
  }
  const userAgent = opts.headers.get("user-agent") ?? "";
  return createContextInner({ db: opts.db, authEnabled, principal, authError, sessionSecret, secure, userAgent, setCookie });
}

function isHttps(headers: Headers, url: string | undefined): boolean {
  const forwarded = headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  if (forwarded) return forwarded === "https";
  if (/(^|[;,\s])proto=https\b/i.test(headers.get("forwarded") ?? "")) return true;
  return url?.startsWith("https:") ?? false;
}
