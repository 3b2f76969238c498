import { AppError } from "../shared/app-error";

const FREE_FAILURES = 5;
const WINDOW_MS = 15 * 60_000;
const MAX_WAIT_MS = 15 * 60_000;

type Entry = { failures: number; lastAt: number };
const byUsername = new Map<string, Entry>();

/**
 * Password guessing slows down per username: after 5 failures in 15 minutes each further attempt
 * must wait 2^(n-5) s (up to 15 min). Kept per server process; keyed by the name typed, so an
 * unknown username is throttled exactly like a real one and reveals nothing.
 */
export function checkSignInAllowed(username: string, now = Date.now()): void {
  const entry = byUsername.get(username.toLowerCase());
  if (!entry || now - entry.lastAt > WINDOW_MS || entry.failures < FREE_FAILURES) return;
  const waitMs = Math.min(MAX_WAIT_MS, 1000 * 2 ** (entry.failures - FREE_FAILURES));
  const left = entry.lastAt + waitMs - now;
  if (left > 0) throw new AppError("UNAUTHORIZED", `too many failed sign-ins for '${username}'; try again in ${Math.ceil(left / 1000)} s`);
}

export function recordSignIn(username: string, ok: boolean, now = Date.now()): void {
  const key = username.toLowerCase();
  if (ok) return void byUsername.delete(key);
  const entry = byUsername.get(key);
  const failures = entry && now - entry.lastAt <= WINDOW_MS ? entry.failures + 1 : 1;
  byUsername.set(key, { failures, lastAt: now });
  if (byUsername.size > 100_000) byUsername.delete(byUsername.keys().next().value!);
}
