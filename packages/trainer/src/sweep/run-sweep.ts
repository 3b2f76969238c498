import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { initBackend } from "../backend";
import { disposeModel } from "../models/create-model";
import { runConfig, type RunOutcome } from "../run/run-config";
import { resolveBaseModel } from "../prepare/resolve-base-model";
import type { TrackingOptions } from "../run/run-training";
import type { ExpandedSweep } from "./expand-sweep";
import type { SweepEvent, WorkerCommand } from "./sweep-messages";

export interface RunSweepOptions {
  /** Local worker processes (1 = run in this process). */
  parallel?: number;
  tracking?: TrackingOptions;
  cacheDir?: string;
  onEvent?(e: SweepEvent): void;
  signal?: AbortSignal;
}

export interface SweepJobResult {
  index: number;
  name: string;
  status: "finished" | "failed";
  outcome?: RunOutcome;
  error?: string;
}

export interface SweepResult {
  group: string;
  results: SweepJobResult[];
  wallTimeMs: number;
}

/** Runs every job of an expanded sweep, in this process or on `parallel` forked workers. A failed
 *  job is recorded (its run is finished as failed by runTraining) and the sweep goes on. */
export async function runSweep(expanded: ExpandedSweep, opts: RunSweepOptions = {}): Promise<SweepResult> {
  const start = performance.now();
  const parallel = Math.max(1, Math.min(opts.parallel ?? 1, expanded.jobs.length));
  // The backend first: tfjs' default cpu backend prints its "install our node backend" banner on first use.
  await initBackend(expanded.jobs[0]?.config.backend);
  // Build zoo models once up front, with progress, so workers never race to pretrain the same model
  // or sit idle while one of them builds it.
  const models = [...new Set(expanded.jobs.map((j) => j.config.base_model))];
  for (const [i, name] of models.entries()) {
    if (opts.signal?.aborted) break;
    const emit = (message: string) => opts.onEvent?.({ type: "status", index: -1, worker: 0, message });
    emit(`base model ${i + 1}/${models.length} '${name}': preparing`);
    let shown = -1;
    const model = await resolveBaseModel(name, {
      cacheDir: opts.cacheDir,
      onProgress: (step, total) => {
        const decile = Math.floor((10 * step) / Math.max(1, total));
        if (decile === shown) return;
        shown = decile;
        emit(`base model '${name}': building, step ${step}/${total}`);
      },
    });
    disposeModel(model);
  }
  if (opts.signal?.aborted) return { group: expanded.group, results: [], wallTimeMs: performance.now() - start };
  const results = parallel === 1 ? await runInProcess(expanded, opts) : await runOnWorkers(expanded, parallel, opts);
  return { group: expanded.group, results: results.sort((a, b) => a.index - b.index), wallTimeMs: performance.now() - start };
}

async function runInProcess(expanded: ExpandedSweep, opts: RunSweepOptions): Promise<SweepJobResult[]> {
  const results: SweepJobResult[] = [];
  for (const job of expanded.jobs) {
    if (opts.signal?.aborted) break;
    const name = job.config.run_name ?? `job-${job.index}`;
    const emit = (e: SweepEvent) => opts.onEvent?.(e);
    emit({ type: "start", index: job.index, worker: 0, name });
    try {
      const outcome = await runConfig(job.config, {
        tracking: opts.tracking,
        cacheDir: opts.cacheDir,
        signal: opts.signal,
        onStatus: (message) => emit({ type: "status", index: job.index, worker: 0, message }),
        onStep: (m) => emit({ type: "step", index: job.index, worker: 0, step: m.step, totalSteps: m.total_steps, loss: m.loss }),
      });
      results.push({ index: job.index, name, status: "finished", outcome });
      emit({ type: "done", index: job.index, worker: 0, outcome });
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      results.push({ index: job.index, name, status: "failed", error });
      emit({ type: "failed", index: job.index, worker: 0, error });
    }
  }
  return results;
}

function runOnWorkers(expanded: ExpandedSweep, parallel: number, opts: RunSweepOptions): Promise<SweepJobResult[]> {
  const workerPath = fileURLToPath(new URL("./sweep-worker.ts", import.meta.url));
  const tsx = import.meta.resolve("tsx");
  const queue = [...expanded.jobs];
  const results: SweepJobResult[] = [];
  const children: ChildProcess[] = [];
  return new Promise((resolvePromise) => {
    let alive = parallel;
    const onAbort = () => children.forEach((c) => c.kill("SIGTERM"));
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const next = (child: ChildProcess) => {
      const job = opts.signal?.aborted ? undefined : queue.shift();
      const cmd: WorkerCommand = job ? { type: "job", index: job.index, config: job.config, tracking: opts.tracking, cacheDir: opts.cacheDir } : { type: "exit" };
      child.send(cmd);
    };
    for (let w = 0; w < parallel; w++) {
      const child = fork(workerPath, [String(w)], { execArgv: ["--import", tsx], stdio: ["ignore", "inherit", "inherit", "ipc"] });
      children.push(child);
      let current: number | undefined;
      child.on("message", (e: SweepEvent) => {
        if (e.type === "status" && e.index === -1) return next(child);
        opts.onEvent?.(e);
        if (e.type === "start") current = e.index;
        if (e.type === "done" || e.type === "failed") {
          const name = expanded.jobs[e.index].config.run_name ?? `job-${e.index}`;
          results.push(e.type === "done" ? { index: e.index, name, status: "finished", outcome: e.outcome } : { index: e.index, name, status: "failed", error: e.error });
          current = undefined;
          next(child);
        }
      });
      child.on("exit", (code, signal) => {
        if (current !== undefined) {
          const error = `worker ${w} exited (${signal ?? `code ${code}`}) during the job`;
          results.push({ index: current, name: expanded.jobs[current].config.run_name ?? "", status: "failed", error });
          opts.onEvent?.({ type: "failed", index: current, worker: w, error });
        }
        if (--alive === 0) {
          opts.signal?.removeEventListener("abort", onAbort);
          resolvePromise(results);
        }
      });
    }
  });
}
