/** Exponential backoff with "equal jitter": half the window fixed, half random, so retries from
 * many runs spread out but a single run never spins. */
export function backoffDelayMs(attempt: number, baseMs = 250, maxMs = 10_000, random = Math.random): number {
  const windowMs = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return windowMs / 2 + random() * (windowMs / 2);
}

/** A sleep that can hold the process open (while finishing) or not (during training). */
export function sleep(ms: number, keepAlive: boolean): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (!keepAlive) timer.unref();
  });
}
