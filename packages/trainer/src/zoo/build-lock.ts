// A base-model build lock that names its owner, so a build interrupted by Ctrl-C or kill -9 never
// leaves every later run waiting on it in silence.
import { mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";

export interface LockOwner {
  pid: number;
  host: string;
  startedAt: string;
}

export interface BuildLockOptions {
  /** Called once when the lock is held by someone else, naming them (and again if it changes hands). */
  onWait?: (owner: LockOwner | null) => void;
  /** How often to look again (ms). */
  pollMs?: number;
  /** A lock on another host (or without an owner file) is stale after this long (ms). */
  staleMs?: number;
}

const OWNER_FILE = "owner.json";

async function readOwner(lock: string): Promise<LockOwner | null> {
  try {
    const o = JSON.parse(await readFile(`${lock}/${OWNER_FILE}`, "utf8")) as LockOwner;
    return Number.isInteger(o.pid) && o.pid > 0 && typeof o.host === "string" ? o : null;
  } catch {
    return null;
  }
}

/** Whether a process with this pid runs on this machine (EPERM: it exists, owned by someone else). */
function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Why the lock's owner is gone, or null while it may still be building. */
async function staleReason(lock: string, owner: LockOwner | null, staleMs: number): Promise<string | null> {
  if (owner && owner.host === hostname()) return processRuns(owner.pid) ? null : `pid ${owner.pid} is gone`;
  const st = await stat(lock).catch(() => null);
  if (!st) return "it was released";
  return Date.now() - st.mtimeMs > staleMs ? `it is older than ${Math.round(staleMs / 60_000)} min` : null;
}

/**
 * Takes `lock` (a directory, created atomically) and records this process in it; waits while a
 * live process holds it and takes it over when that process is gone. Resolves to a release function.
 */
export async function acquireBuildLock(lock: string, opts: BuildLockOptions = {}): Promise<() => Promise<void>> {
  const pollMs = opts.pollMs ?? 1000;
  const staleMs = opts.staleMs ?? 3_600_000;
  let announced: string | undefined;
  for (;;) {
    try {
      await mkdir(lock);
      const owner: LockOwner = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
      await writeFile(`${lock}/${OWNER_FILE}`, JSON.stringify(owner));
      return () => rm(lock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = await readOwner(lock);
    // A lock made a moment ago may not have its owner file yet: give it a few polls.
    const stale = owner || (await stat(lock).then((s) => Date.now() - s.mtimeMs > 10_000, () => true)) ? await staleReason(lock, owner, staleMs) : null;
    if (stale) {
      // Renamed first, so two waiters taking over the same stale lock cannot remove each other's new one.
      const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
      if (await rename(lock, aside).then(() => true, () => false)) {
        const moved = await readOwner(aside);
        if (moved && owner && moved.pid !== owner.pid && processRuns(moved.pid)) await rename(aside, lock).catch(() => undefined);
        await rm(aside, { recursive: true, force: true });
      }
      continue;
    }
    const who = owner ? `${owner.pid}@${owner.host}` : "unknown";
    if (who !== announced) {
      announced = who;
      opts.onWait?.(owner);
    }
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
