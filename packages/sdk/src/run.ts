import { appendFileSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { MAX_POINTS_PER_BATCH, type ArtifactLogInput, type MetricPoint, type RunCreateInput } from "@finetrack/contracts";
import { classifyError, createApiClient, type ApiClient, type Failure } from "./api-client";
import { backoffDelayMs } from "./backoff";
import { trackRun, untrackRun } from "./exit-hooks";
import { createReporter, type Reporter } from "./reporter";
import { encodeRejectedLine, spoolPaths, SpoolFile, type CorruptLine } from "./spool-file";
import { mergePoints, recordPointCount, sendRecord, sendRecordIsolating, wirePoints, type PointsRecord, type Rejection, type SpoolRecord } from "./spool-record";
import { recordProblem, validateLog } from "./validate-log";

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
  /**
   * Durable mode: log() also appends its points to the run's spool file (in one small synchronous
   * write per event-loop turn), so a kill -9 of the training process loses at most the points of
   * the current turn; the sender acknowledges what the server stored by advancing a cursor.
   */
  durable: boolean;
  /** A 500 answered this many times in a row with the same message is taken as a refusal of that batch. */
  maxIdenticalServerErrors: number;
  /** How long finish() keeps retrying an unreachable server before leaving the rest in the spool. */
  finishTimeoutMs: number;
  requestTimeoutMs: number;
};

export const DEFAULT_TUNING: RunTuning = {
  batchSize: MAX_POINTS_PER_BATCH,
  flushIntervalMs: 1_000,
  maxQueuedPoints: 100_000,
  heartbeatMs: 30_000,
  durable: true,
  maxIdenticalServerErrors: 5,
  finishTimeoutMs: 15_000,
  requestTimeoutMs: 60_000,
};

/** `end`: in durable mode, where the record's line ends in the spool file (-1: only in memory). */
type QueueItem = { record: SpoolRecord; sealed: boolean; end: number };
type Next = { from: "spool"; record: SpoolRecord; count: number } | { from: "memory"; record: SpoolRecord; items: QueueItem[] };
/** A partial batch waits at least this many times the last answer's duration (see onFlushTick). */
const SLOW_ANSWER_FACTOR = 4;
/** A durable spool file is started afresh once it is fully acknowledged and this big. */
const ROTATE_SPOOL_BYTES = 64 * 1024 * 1024;
/** online: sending; degraded: server unreachable, spooling and retrying; spool-only: offline mode or a rejected key. */
type Link = "online" | "degraded" | "spool-only";

/**
 * A run being logged. log/summary/artifact only append to an in-memory queue (they never block and
 * never throw for network trouble) and, in durable mode, to the spool file; one background sender
 * drains it in order, spilling to the spool file when the server is unreachable or the queue
 * outgrows its bound.
 */
export class Run {
  readonly id: string;
  readonly project: string;
  readonly url: string;
  readonly spoolPath: string;
  readonly rejectedPath: string;
  private readonly tuning: RunTuning;
  private readonly client: ApiClient | null;
  private readonly createRecord: SpoolRecord;
  private readonly spool: SpoolFile;
  private readonly report: Reporter;
  private readonly corruptPath: string;
  private durable: boolean;
  private link: Link;
  private queue: QueueItem[] = [];
  private queuedPoints = 0;
  /** Records other than points in the queue (each makes the points before it ready to send). */
  private queuedRecords = 0;
  /** Durable mode: points logged in this event-loop turn, written to the spool at its end. */
  private pending: MetricPoint[] = [];
  private pendingPlain = true;
  private pendingWrite = false;
  private failures = 0;
  private lastFailure = "";
  /** When the last request was answered, and how long it took. */
  private lastSentAtMs = 0;
  private lastAnswerMs = 0;
  private identicalFailures = 0;
  private degradedSinceMs = 0;
  private flushDue = false;
  private stopped = false;
  private closed = false;
  private finishQueued = false;
  private finishPromise: Promise<void> | null = null;
  private senderDone: Promise<void> = Promise.resolve();
  private wakeSender: ((reason: "work" | "finish") => void) | null = null;
  private timers: NodeJS.Timeout[] = [];
  private readonly abort = new AbortController();
  /** Points handed to log(); for messages and tests. */
  pointsLogged = 0;
  /** Points refused (by the SDK's check or by the server), kept in rejectedPath. */
  pointsRejected = 0;

  constructor(options: { createInput: RunCreateInput & { id: string }; url: string; apiKey?: string; offline: boolean; home: string; tuning?: Partial<RunTuning>; quiet?: boolean }) {
    this.id = options.createInput.id;
    this.project = options.createInput.project;
    this.url = options.url;
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.client = options.offline ? null : createApiClient({ url: options.url, apiKey: options.apiKey, timeoutMs: this.tuning.requestTimeoutMs, signal: this.abort.signal });
    if (!(this.tuning.batchSize >= 1 && this.tuning.batchSize <= MAX_POINTS_PER_BATCH)) throw new Error(`finetrack: tuning.batchSize must be between 1 and ${MAX_POINTS_PER_BATCH}, got ${this.tuning.batchSize}`);
    this.durable = this.tuning.durable;
    this.createRecord = { t: "create", input: options.createInput };
    this.spool = new SpoolFile(options.home, this.id, (line) => this.keepCorrupt(line));
    this.spoolPath = this.spool.path;
    const paths = spoolPaths(options.home, this.id);
    this.rejectedPath = paths.rejected;
    this.corruptPath = paths.corrupt;
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
        if (this.durable) this.startDurableSpool({ createSent: true });
      } catch (error) {
        const failure = classifyError(error);
        if (failure.kind !== "retry") {
          untrackRun(this);
          throw new Error(`finetrack: could not create run in project '${this.project}' at ${this.url}: ${failure.code}: ${failure.message}`);
        }
        this.enterDegraded(failure.message);
        // The sender retries the create first; everything logged meanwhile queues behind it.
        if (this.durable) this.startDurableSpool({ createSent: false });
        else this.add(this.createRecord);
      }
      this.senderDone = this.sendLoop();
      this.every(this.tuning.heartbeatMs, () => this.heartbeat());
    }
    this.every(this.tuning.flushIntervalMs, () => this.onFlushTick());
  }

  /**
   * Queues metric points for one step; never blocks, never throws for network trouble. A point
   * the server would refuse (e.g. a negative step) is reported once and kept in rejectedPath.
   */
  log(metrics: Record<string, number>, options: { step: number; epoch?: number }): void {
    if (this.finishQueued) {
      this.report.once("log-after-finish", `run ${this.id}: log() after finish() is ignored`);
      return;
    }
    const { points, refused, why, plain } = validateLog(metrics, options);
    if (refused.length > 0) this.keepRejected({ t: "points", points: refused }, { code: "BAD_REQUEST", why });
    if (points.length === 0) return;
    this.pointsLogged += points.length;
    if (this.durable) {
      for (const point of points) this.pending.push(point);
      if (!plain) this.pendingPlain = false;
      if (this.pending.length >= this.tuning.batchSize) this.writePending();
      else if (!this.pendingWrite) {
        this.pendingWrite = true;
        setImmediate(() => this.writePending());
      }
      return;
    }
    const tail = this.queue[this.queue.length - 1];
    if (tail && !tail.sealed && tail.record.t === "points" && tail.record.points.length + points.length <= this.tuning.batchSize) {
      for (const point of points) tail.record.points.push(point);
    } else {
      this.queue.push({ record: { t: "points", points }, sealed: false, end: -1 });
    }
    this.queuedPoints += points.length;
    this.afterQueued();
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
    const finish: SpoolRecord = { t: "finish", input: { id: this.id, status, summary: options.summary, error: options.error } };
    // A summary or error the server would refuse must not keep the run from finishing.
    const problem = recordProblem(finish);
    if (problem !== null) this.keepRejected(finish, { code: "BAD_REQUEST", why: problem });
    this.enqueue(problem === null ? finish : { t: "finish", input: { id: this.id, status } });
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
    this.close({ removeSpool: !gaveUp && !this.spool.hasUnacked && this.queue.length === 0 });
  }

  /** Called from the process 'exit' hook: nothing async can run any more, so whatever is unsent goes to the spool. */
  spoolBeforeExit(status: RunStatusFinal): void {
    if (!this.finishQueued) {
      this.add({ t: "finish", input: { id: this.id, status } });
      this.finishQueued = true;
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
    const problem = recordProblem(record);
    if (problem !== null) return this.keepRejected(record, { code: "BAD_REQUEST", why: problem });
    this.add(record);
  }

  /** Queues a record after everything logged before it (and writes it to a durable spool). */
  private add(record: SpoolRecord): void {
    if (this.durable) {
      this.writePending();
      if (this.durable) return this.writeDurable([record]);
    }
    this.queue.push({ record, sealed: false, end: -1 });
    this.queuedRecords += 1;
    this.wake("work");
  }

  private startDurableSpool(options: { createSent: boolean }): void {
    try {
      this.spool.start(this.createRecord, options);
    } catch (error) {
      this.leaveDurable(error as Error);
      if (!options.createSent) this.add(this.createRecord);
    }
  }

  /** Durable mode: this turn's points go to the spool file (in lines of at most batchSize points). */
  private writePending(): void {
    this.pendingWrite = false;
    if (this.pending.length === 0 || this.closed) return;
    const records: SpoolRecord[] = [];
    for (let i = 0; i < this.pending.length; i += this.tuning.batchSize) {
      const points = i === 0 && this.pending.length <= this.tuning.batchSize ? this.pending : this.pending.slice(i, i + this.tuning.batchSize);
      // Plain points are turned into JSON once: the same text is the spool line and the request body.
      records.push(this.pendingPlain ? wirePoints(JSON.stringify(points).slice(1, -1), points.length) : { t: "points", points });
    }
    this.pending = [];
    this.pendingPlain = true;
    this.writeDurable(records);
  }

  private writeDurable(records: SpoolRecord[]): void {
    // While the sender is not sending (server unreachable, offline), it reads the file instead.
    const inMemory = this.link === "online";
    let ends: number[];
    try {
      this.spool.start(this.createRecord, { createSent: this.link === "online" });
      ends = this.spool.append(records, { inMemory });
    } catch (error) {
      this.leaveDurable(error as Error);
      ends = records.map(() => -1);
    }
    if (!inMemory && ends[0] !== -1) return this.dropQueue();
    records.forEach((record, i) => {
      this.queue.push({ record, sealed: true, end: ends[i] });
      if (record.t === "points") this.queuedPoints += recordPointCount(record);
      else this.queuedRecords += 1;
    });
    this.afterQueued();
  }

  /** A full or read-only disk must not crash training: the run goes on with its queue in memory. */
  private leaveDurable(error: Error): void {
    this.durable = false;
    this.report.once("spool-write", `cannot write ${this.spool.path} (${error.message}); keeping run ${this.id}'s queue in memory`);
  }

  private afterQueued(): void {
    if (this.queuedPoints >= this.tuning.maxQueuedPoints) {
      if (this.link === "online") this.report.once("overflow", `run ${this.id}: logging faster than ${this.url} stores; the overflow waits in ${this.spool.path}`);
      this.spill();
    } else if (this.queuedRecords > 0 || this.queuedPoints >= this.tuning.batchSize) {
      this.wake("work");
    }
  }

  /** Moves the in-memory queue to the spool file, which the sender drains first. */
  private spill(): void {
    if (this.durable) {
      // Everything queued is in the file already.
      this.writePending();
      if (this.durable && this.spool.started) return this.dropQueue();
    }
    if (this.queue.length === 0) return;
    try {
      this.spool.start(this.createRecord);
      this.spool.append(this.queue.map((item) => item.record), { inMemory: false });
    } catch (error) {
      // A full or read-only disk must not crash training: keep the points in memory instead.
      this.report.once("spool-write", `cannot write ${this.spool.path} (${(error as Error).message}); keeping run ${this.id}'s queue in memory`);
      return;
    }
    this.dropQueue();
  }

  private dropQueue(): void {
    this.spool.handOver();
    this.queue = [];
    this.queuedPoints = 0;
    this.queuedRecords = 0;
  }

  private async sendLoop(): Promise<void> {
    while (!this.stopped) {
      const next = await this.takeNext();
      if (this.stopped) return;
      if (!next) {
        if (this.finishQueued && this.queue.length === 0 && this.pending.length === 0 && !this.spool.hasUnsent) return;
        await this.waitForWake(this.tuning.flushIntervalMs);
        continue;
      }
      const sentAtMs = Date.now();
      try {
        await sendRecordIsolating(this.client!, this.id, next.record, (rejected, why) => this.keepRejected(rejected, why));
        this.lastSentAtMs = Date.now();
        this.lastAnswerMs = this.lastSentAtMs - sentAtMs;
      } catch (error) {
        if (this.stopped) return;
        const failure = classifyError(error);
        if (failure.kind === "auth") {
          this.link = "spool-only";
          this.spill();
          this.report.once("auth", `${this.url} rejected the API key (${failure.code}: ${failure.message}); run ${this.id} continues in ${this.spool.path}; fix FINETRACK_API_KEY (or the run's project), then run \`finetrack sync\``);
          return;
        }
        if (this.isDeterministic(failure)) {
          // The same 500 every time: this batch will never be stored; keep it aside and go on.
          this.keepRejected(next.record, { code: failure.code, why: `${failure.code}: ${failure.message} (the same answer ${this.identicalFailures} times in a row)` });
        } else {
          this.enterDegraded(failure.message);
          this.spill();
          await this.waitForWake(backoffDelayMs(this.failures++), "finish");
          continue;
        }
      }
      this.lastFailure = "";
      this.identicalFailures = 0;
      this.markSent(next);
    }
  }

  private isDeterministic(failure: Failure): boolean {
    if (failure.code !== "INTERNAL_SERVER_ERROR") {
      this.identicalFailures = 0;
      return false;
    }
    const key = `${failure.code}: ${failure.message}`;
    this.identicalFailures = key === this.lastFailure ? this.identicalFailures + 1 : 1;
    this.lastFailure = key;
    return this.identicalFailures >= this.tuning.maxIdenticalServerErrors;
  }

  private async takeNext(): Promise<Next | null> {
    if (this.spool.hasUnsent) {
      const batch = await this.spool.peekBatch(this.tuning.batchSize);
      if (batch) return { from: "spool", ...batch };
    }
    const head = this.queue[0];
    if (!head) return null;
    if (head.record.t !== "points") {
      head.sealed = true;
      return { from: "memory", record: head.record, items: [head] };
    }
    const ready = this.queuedRecords > 0 || this.queuedPoints >= this.tuning.batchSize || this.flushDue || this.finishQueued;
    if (!ready) return null;
    // A flush tick asks for one batch of what is queued, not for a request per event-loop turn.
    this.flushDue = false;
    // Consecutive point records (durable mode writes one per event-loop turn) travel together.
    const items: QueueItem[] = [];
    const parts: PointsRecord[] = [];
    let total = 0;
    for (const item of this.queue) {
      if (item.record.t !== "points" || (items.length > 0 && total + recordPointCount(item.record) > this.tuning.batchSize)) break;
      item.sealed = true;
      items.push(item);
      parts.push(item.record);
      total += recordPointCount(item.record);
    }
    return { from: "memory", record: mergePoints(parts), items };
  }

  private markSent(next: Next): void {
    if (next.from === "spool") {
      this.spool.advance(next.count);
      if (!this.durable && !this.spool.hasUnacked && this.link !== "spool-only") this.spool.close({ remove: true });
    } else if (this.queue[0] === next.items[0]) {
      // (If a spill moved them meanwhile, the spool copy is sent again later; the server dedups it.)
      this.queue.splice(0, next.items.length);
      for (const item of next.items) {
        if (item.record.t === "points") this.queuedPoints -= recordPointCount(item.record);
        else this.queuedRecords -= 1;
      }
      const end = next.items[next.items.length - 1].end;
      if (end >= 0) this.spool.ack(end);
    }
    if (this.queue.length === 0) this.flushDue = false;
    // A long durable run starts a fresh spool file once the server has all of the current one.
    if (this.durable && this.spool.bytes > ROTATE_SPOOL_BYTES && !this.spool.hasUnacked && this.queue.length === 0) this.spool.close({ remove: true });
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

  private keepRejected(record: SpoolRecord, rejection: Rejection): void {
    this.pointsRejected += recordPointCount(record);
    let where = `it is kept in ${this.rejectedPath}`;
    try {
      mkdirSync(dirname(this.rejectedPath), { recursive: true });
      appendFileSync(this.rejectedPath, encodeRejectedLine(record, rejection.why));
    } catch (error) {
      where = `it could not be saved (${(error as Error).message})`;
    }
    const why = Array.isArray(rejection.why) ? rejection.why[0] : rejection.why;
    const what = record.t === "points" ? `${record.points.length} point(s) (first: '${record.points[0]?.key}' step ${record.points[0]?.step})` : `a ${record.t} record`;
    this.report.once(`reject-${rejection.code}-${record.t}`, `run ${this.id}: ${what} refused (${rejection.code}: ${why}); ${where}; later refusals of this kind are only saved there`);
  }

  private keepCorrupt(line: CorruptLine): void {
    try {
      appendFileSync(this.corruptPath, `${line.text}\n`);
    } catch {
      // reported below either way
    }
    this.report.once("corrupt", `run ${this.id}: unreadable line ${line.line} (byte ${line.byteOffset}) of ${line.file} (${line.reason}); set aside in ${this.corruptPath}`);
  }

  private heartbeat(): void {
    if (this.link !== "online" || this.finishQueued) return;
    // Failures here are noticed (and reported) by the sender; a heartbeat is never retried.
    this.client!.run.heartbeat.mutate({ id: this.id }).catch(() => {});
  }

  private onFlushTick(): void {
    if (this.link === "online") {
      // A partial batch waits longer while the server answers slowly (busy): it then gets fewer,
      // fuller requests, instead of a request per run per tick that would keep it busy.
      const lingerMs = Math.max(this.tuning.flushIntervalMs, SLOW_ANSWER_FACTOR * this.lastAnswerMs);
      if (this.queue.length > 0 && Date.now() - this.lastSentAtMs >= lingerMs * 0.9) {
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
    this.closed = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    this.spool.close({ remove: options.removeSpool });
    untrackRun(this);
  }
}

