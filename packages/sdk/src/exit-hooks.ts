/** The process-wide part of the SDK: one set of signal/exit handlers for every live run. */
type TrackedRun = {
  id: string;
  finishing: boolean;
  finish(options: { status: "finished" | "killed"; timeoutMs?: number }): Promise<void>;
  spoolBeforeExit(status: "finished" | "failed" | "killed"): void;
};

const live = new Set<TrackedRun>();
const SIGNAL_FINISH_TIMEOUT_MS = 5_000;
let installed = false;
let signalled: NodeJS.Signals | null = null;
/** A signal the program handled itself: runs it leaves unfinished end as killed, not finished. */
let deferredSignal = false;

export function trackRun(run: TrackedRun): void {
  live.add(run);
  if (!installed) install();
}

export function untrackRun(run: TrackedRun): void {
  live.delete(run);
  if (live.size === 0 && installed && !signalled) uninstall();
}

function install(): void {
  installed = true;
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  process.on("beforeExit", onBeforeExit);
  process.on("exit", onExit);
}

function uninstall(): void {
  installed = false;
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
  process.off("beforeExit", onBeforeExit);
  process.off("exit", onExit);
}

/** Ctrl-C / kill: mark every live run killed, send what is queued, then let the signal do its job. */
function onSignal(signal: NodeJS.Signals): void {
  if (!signalled && process.listenerCount(signal) > 1) {
    // The program has its own handler (e.g. stop after this step, then finish with a summary):
    // leave the shutdown to it, so its last points and summary are not cut off.
    deferredSignal = true;
    return;
  }
  if (signalled) {
    // A second signal means "now": the exit hook saves whatever is unsent to the spool.
    process.exit(128 + (signal === "SIGINT" ? 2 : 15));
  }
  signalled = signal;
  const runs = [...live];
  process.stderr.write(`finetrack: ${signal}: marking ${runs.map((r) => r.id).join(", ")} killed and sending what is queued (${signal} again to exit now)\n`);
  // A scheduler that sent SIGTERM will SIGKILL soon: against an unreachable server, spool quickly.
  void Promise.allSettled(runs.map((run) => run.finish({ status: "killed", timeoutMs: SIGNAL_FINISH_TIMEOUT_MS }))).then(() => {
    uninstall();
    // With our handler gone, re-raising gives the default action (or the program's own handler).
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
    else signalled = null;
  });
}

/** The event loop ran dry without finish(): finish the runs so the program's last points are not lost. */
function onBeforeExit(): void {
  for (const run of live) if (!run.finishing) void run.finish({ status: deferredSignal ? "killed" : "finished" });
}

function onExit(code: number): void {
  const status = deferredSignal || signalled ? "killed" : code === 0 ? "finished" : "failed";
  for (const run of [...live]) run.spoolBeforeExit(status);
}
