import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MAX_POINTS_PER_BATCH, type ArtifactLogInput, type RunCreateInput } from "@finetrack/contracts";
import { classifyError, createApiClient, type ApiClient } from "./api-client";
import { backoffDelayMs } from "./backoff";
import { trackRun, untrackRun } from "./exit-hooks";
import { createReporter, type Reporter } from "./reporter";
import { encodeSpoolLine, spoolPaths, SpoolFile } from "./spool-file";
import { recordPointCount, sendRecord, sendRecordIsolating, type SpoolRecord } from "./spool-record";
import { validateLog } from "./validate-log";

export type RunStatusFinal = "finished" | "failed" | "killed";
export type ArtifactInput = Omit<ArtifactLogInput, "runId">;
export type FinishOptions = {
  status?: RunStatusFinal;
  summary?: Record<string, unknown>;
  error?: string;
  /** How long to keep retrying an unreachable server before leaving the rest in the spool (default tuning.finishTimeoutMs). */
  timeoutMs?: number;
};

export type RunTuning = {
  /** Points per logBatch request (the server takes at most 10,000). */
  batchSize: number;
  /** A partial batch is sent at least this often. */
  flushIntervalMs: number;
  /** Points held in memory before the overflow goes to the spool file. */
  maxQueuedPoints: number;
  heartbeatMs: number;
  /** How long finish() keeps retrying an unreachable server before leaving the rest in the spool. */
  finishTimeoutMs: number;
  requestTimeoutMs: number;
};

export const DEFAULT_TUNING: RunTuning = {
  batchSize: MAX_POINTS_PER_BATCH,
  flushIntervalMs: 1_000,
  maxQueuedPoints: 100_000,
  heartbeatMs: 30_000,
  finishTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
};

type QueueItem = { record: SpoolRecord; sealed: boolean };
type Next = { from: "spool"; record: SpoolRecord } | { from: "memory"; item: QueueItem };
/** online: sending; degraded: server unreachable, spooling and retrying; spool-only: offline mode or a rejected key. */
type Link = "online" | "degraded" | "spool-only";

/**
 * A run being logged. log/summary/artifact only append to an in-memory queue (they never block and
 * never throw for network trouble); one background sender drains it in order, spilling to the
 * spool file when the server is unreachable or the queue outgrows its bound.
 */
export class Run {
  readonly id: string;
  readonly project: string;
  readonly url: string;
  readonly spoolPath: string;
  private readonly tuning: RunTuning;
  private readonly client: ApiClient | null;
  private readonly createRecord: SpoolRecord;
  private readonly spool: SpoolFile;
  private readonly report: Reporter;
  private readonly rejectedPath: string;
  private link: Link;
  private queue: QueueItem[] = [];
  private queuedPoints = 0;
  private failures = 0;
  private degradedSinceMs = 0;
  private flushDue = false;
  private stopped = false;
  private finishQueued = false;
  private finishPromise: Promise<void> | null = null;
  private senderDone: Promise<void> = Promise.resolve();
  private wakeSender: ((reason: "work" | "finish") => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  /** Points handed to log(); for messages and tests. */
  pointsLogged = 0;

  constructor(options: { createInput: RunCreateInput & { id: string }; url: string; apiKey?: string; offline: boolean; home: string; tuning?: Partial<RunTuning>; quiet?: boolean }) {
    this.id = options.createInput.id;
    this.project = options.createInput.project;
    this.url = options.url;
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.client = options.offline ? null : createApiClient({ url: options.url, apiKey: options.apiKey, timeoutMs: this.tuning.requestTimeoutMs, signal: this.abort.signal });
    if (!(this.tuning.batchSize >= 1 && this.tuning.batchSize <= MAX_POINTS_PER_BATCH)) throw new Error(`finetrack: tuning.batchSize must be between 1 and ${MAX_POINTS_PER_BATCH}, got ${this.tuning.batchSize}`);
    this.createRecord = { t: "create", input: options.createInput };
    this.spool = new SpoolFile(options.home, this.id);
    this.spoolPath = this.spool.path;
    this.rejectedPath = spoolPaths(options.home, this.id).rejected;
    this.report = createReporter(options.quiet ?? false);
    this.link = this.client ? "online" : "spool-only";
  }

  /** Creates the run on the server (or in the spool) and starts the background work. */
  async start(): Promise<void> {
    trackRun(this);
    if (this.link === "spool-only") {
      this.spool.start(this.createRecord);
      this.report.once("offline", `offline mode: run ${this.id} is logged to ${this.spool.path}; upload it later with \`finetrack sync\``);
    } else {
      try {
        await sendRecord(this.client!, this.id, this.createRecord);
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind !== "retry") {
          untrackRun(this);
          throw new Error(`finetrack: could not create run in project '${this.project}' at ${this.url}: ${failure.code}: ${failure.message}`);
        }
        this.enterDegraded(failure.message);
        // The sender retries the create first; everything logged meanwhile queues behind it.
        this.queue.push({ record: this.createRecord, sealed: false });
      }
      this.senderDone = this.sendLoop();
      this.every(this.tuning.heartbeatMs, () => this.heartbeat());
    }
    this.every(this.tuning.flushIntervalMs, () => this.onFlushTick());
  }

  /** Queues metric points for one step; never blocks, never throws for network trouble. */
  log(metrics: Record<string, number>, options: { step: number; epoch?: number }): void {
    if (this.finishQueued) {
      this.report.once("log-after-finish", `run ${this.id}: log() after finish() is ignored`);
      return;
    }
    const points = validateLog(metrics, options);
    if (points.length === 0) return;
    this.pointsLogged += points.length;
    const tail = this.queue[this.queue.length - 1];
    if (tail && !tail.sealed && tail.record.t === "points" && tail.record.points.length + points.length <= this.tuning.batchSize) {
      for (const point of points) tail.record.points.push(point);
    } else {
      this.queue.push({ record: { t: "points", points }, sealed: false });
    }
    this.queuedPoints += points.length;
    if (this.queuedPoints >= this.tuning.maxQueuedPoints) {
      if (this.link === "online") this.report.once("overflow", `run ${this.id}: logging faster than ${this.url} stores; the overflow waits in ${this.spool.path}`);
      this.spill();
    } else if (this.queue.length > 1 || this.queuedPoints >= this.tuning.batchSize) {
      this.wake("work");
    }
  }

  /** Merges values into the run's summary (e.g. best_val_loss). */
  summary(values: Record<string, unknown>): void {
    this.enqueue({ t: "update", input: { id: this.id, summary: values } });
  }

  /** Merges config, or replaces name / tags / notes. */
  update(fields: { name?: string; tags?: string[]; notes?: string; config?: Record<string, unknown> }): void {
    this.enqueue({ t: "update", input: { id: this.id, ...fields } });
  }

  artifact(artifact: ArtifactInput): void {
    this.enqueue({ t: "artifact", input: { ...artifact, runId: this.id } });
  }

  /**
   * Resolves when everything logged is stored on the server, or, if the server stays unreachable
   * for finishTimeoutMs, when it is safe in the spool file (with one message saying so).
   */
  finish(options: FinishOptions = {}): Promise<void> {
    this.finishPromise ??= this.finishOnce(options);
    return this.finishPromise;
  }

  get finishing(): boolean {
    return this.finishQueued;
  }

  private async finishOnce(options: FinishOptions): Promise<void> {
    const finishStartMs = Date.now();
    const timeoutMs = options.timeoutMs ?? this.tuning.finishTimeoutMs;
    const status = options.status ?? "finished";
    if (!["finished", "failed", "killed"].includes(status)) throw new Error(`finetrack: finish status must be finished, failed or killed, got '${status}'`);
    this.enqueue({ t: "finish", input: { id: this.id, status, summary: options.summary, error: options.error } });
    this.finishQueued = true;
    if (this.link === "spool-only") {
      this.spill();
      this.close({ removeSpool: false });
      this.report.once("spooled", `run ${this.id} is saved in ${this.spool.path}; upload it with \`finetrack sync\``);
      return;
    }
    this.wake("finish");
    const gaveUp = await new Promise<boolean>((resolve) => {
      void this.senderDone.then(() => resolve(false));
      // Ref'd on purpose: while finishing, this timer is what keeps the process alive between retries.
      const watch = setInterval(() => {
        const downForMs = Date.now() - Math.max(this.degradedSinceMs, finishStartMs);
        if (this.link !== "online" && downForMs >= timeoutMs) resolve(true);
      }, Math.min(250, timeoutMs));
      void this.senderDone.finally(() => clearInterval(watch));
      this.timers.push(watch);
    });
    if (gaveUp) {
      this.stop();
      this.spill();
      this.report.once("spooled", `run ${this.id}: ${this.url} is still unreachable, so the rest of the run is saved in ${this.spool.path}; upload it with \`finetrack sync\` once the server is up`);
    }
    this.close({ removeSpool: !gaveUp && !this.spool.hasUnsent });
  }

  /** Called from the process 'exit' hook: nothing async can run any more, so whatever is unsent goes to the spool. */
  spoolBeforeExit(status: RunStatusFinal): void {
    if (!this.finishQueued) {
      this.finishQueued = true;
      this.queue.push({ record: { t: "finish", input: { id: this.id, status } }, sealed: false });
    }
    this.stop();
    this.spill();
    this.close({ removeSpool: false });
    this.report.once("spooled", `process exited before run ${this.id} was fully stored; the rest is saved in ${this.spool.path}; upload it with \`finetrack sync\``);
  }

  /** Stops the sender at once, aborting a request in flight (its data is re-sent from the spool). */
  private stop(): void {
    this.stopped = true;
    this.abort.abort();
    this.wake("finish");
  }

  private enqueue(record: SpoolRecord): void {
    if (this.finishQueued) {
      this.report.once("after-finish", `run ${this.id}: ${record.t} after finish() is ignored`);
      return;
    }
    this.queue.push({ record, sealed: false });
    this.wake("work");
  }

  /** Moves the in-memory queue to the spool file, which the sender drains first. */
  private spill(): void {
    if (this.queue.length === 0) return;
    try {
      this.spool.start(this.createRecord);
      this.spool.append(this.queue.map((item) => item.record));
    } catch (error) {
      // A full or read-only disk must not crash training: keep the points in memory instead.
      this.report.once("spool-write", `cannot write ${this.spool.path} (${(error as Error).message}); keeping run ${this.id}'s queue in memory`);
      return;
    }
    this.queue = [];
    this.queuedPoints = 0;
  }

  private async sendLoop(): Promise<void> {
    while (!this.stopped) {
      const next = await this.takeNext();
      if (this.stopped) return;
      if (!next) {
        if (this.finishQueued && this.queue.length === 0 && !this.spool.hasUnsent) return;
        await this.waitForWake(this.tuning.flushIntervalMs);
        continue;
      }
      const record = next.from === "spool" ? next.record : next.item.record;
      try {
        await sendRecordIsolating(this.client!, this.id, record, (rejected, why) => this.keepRejected(rejected, why.code, why.message));
      } catch (error) {
        if (this.stopped) return;
        const failure = classifyError(error);
        if (failure.kind === "auth") {
          this.link = "spool-only";
          this.spill();
          this.report.once("auth", `${this.url} rejected the API key (${failure.code}: ${failure.message}); run ${this.id} continues in ${this.spool.path}; fix FINETRACK_API_KEY and run \`finetrack sync\``);
          return;
        }
        this.enterDegraded(failure.message);
        this.spill();
        await this.waitForWake(backoffDelayMs(this.failures++), "finish");
        continue;
      }
      this.markSent(next, record);
    }
  }

  private async takeNext(): Promise<Next | null> {
    if (this.spool.hasUnsent) {
      const item = await this.spool.peek();
      if (item) return { from: "spool", record: item.record };
    }
    const head = this.queue[0];
    if (!head) return null;
    const ready = head.record.t !== "points" || this.queue.length > 1 || head.record.points.length >= this.tuning.batchSize || this.flushDue || this.finishQueued;
    if (!ready) return null;
    head.sealed = true;
    return { from: "memory", item: head };
  }

  private markSent(next: Next, record: SpoolRecord): void {
    if (next.from === "spool") {
      this.spool.advance();
      if (!this.spool.hasUnsent && this.link !== "spool-only") this.spool.close({ remove: true });
    } else if (this.queue[0] === next.item) {
      // (If a spill moved it meanwhile, the spool copy is sent again later; the server dedups it.)
      this.queue.shift();
      this.queuedPoints -= recordPointCount(record);
    }
    if (this.queue.length === 0) this.flushDue = false;
    if (this.link === "degraded") {
      this.link = "online";
      this.failures = 0;
      this.report.once("reconnected", `reconnected to ${this.url}; run ${this.id} is uploading what was spooled`);
    }
  }

  private enterDegraded(reason: string): void {
    if (this.link !== "online") return;
    this.link = "degraded";
    this.degradedSinceMs = Date.now();
    this.report.once("unreachable", `cannot reach ${this.url} (${reason}); run ${this.id} keeps logging to ${this.spool.path} and retries in the background`);
  }

  private keepRejected(record: SpoolRecord, code: string, message: string): void {
    let where = `it is kept in ${this.rejectedPath}`;
    try {
      mkdirSync(dirname(this.rejectedPath), { recursive: true });
      appendFileSync(this.rejectedPath, encodeSpoolLine(record));
    } catch (error) {
      where = `it could not be saved (${(error as Error).message})`;
    }
    this.report.once(`reject-${code}`, `${this.url} rejected a ${record.t} record of run ${this.id} (${code}: ${message}); ${where}`);
  }

  private heartbeat(): void {
    if (this.link !== "online" || this.finishQueued) return;
    // Failures here are noticed (and reported) by the sender; a heartbeat is never retried.
    this.client!.run.heartbeat.mutate({ id: this.id }).catch(() => {});
  }

  private onFlushTick(): void {
    if (this.link === "online") {
      if (this.queue.length > 0) {
        this.flushDue = true;
        this.wake("work");
      }
    } else {
      // While nothing is being sent, get the queue onto disk within a flush interval.
      this.spill();
    }
  }

  private waitForWake(ms: number, interruptOnlyBy: "work" | "finish" = "work"): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      if (!this.finishQueued) timer.unref();
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wakeSender = null;
        resolve();
      }
      this.wakeSender = (reason) => {
        if (interruptOnlyBy === "work" || reason === "finish") done();
      };
    });
  }

  private wake(reason: "work" | "finish"): void {
    this.wakeSender?.(reason);
  }

  private every(ms: number, fn: () => void): void {
    const timer = setInterval(fn, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private close(options: { removeSpool: boolean }): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.spool.close({ remove: options.removeSpool });
    untrackRun(this);
  }
}
