import { markCrashedRuns } from "@finetrack/core";
import type { Db } from "@finetrack/db";

/** Periodically marks runs crashed whose heartbeat is older than `timeoutMs`. Returns a stopper. */
export function startCrashMonitor(db: Db, options: { timeoutMs: number; intervalMs?: number; onCrashed?: (ids: string[]) => void }): () => void {
  const intervalMs = options.intervalMs ?? Math.min(60_000, Math.max(1_000, options.timeoutMs / 4));
  const timer = setInterval(() => {
    markCrashedRuns(db, { timeoutMs: options.timeoutMs })
      .then((ids) => ids.length && options.onCrashed?.(ids))
      .catch(() => {}); // the database may be restarting; the next tick retries
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
