import { readFileSync } from "node:fs";

/** CPU time this thread has run so far, in ms (Linux's /proc/thread-self/schedstat, ns
 *  resolution); NaN where that file does not exist. Wall time on a loaded machine says little
 *  about a two-thread split; each thread's own CPU time does. */
export function threadCpuMs(): number {
  try {
    return Number(readFileSync("/proc/thread-self/schedstat", "utf8").split(" ")[0]) / 1e6;
  } catch {
    return NaN;
  }
}
