import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { decodeSpoolLine, encodeSpoolLine } from "./spool-line";
import { mergePoints, recordPointCount, type SpoolRecord } from "./spool-record";

export { decodeSpoolLine, encodeRejectedLine, encodeSpoolLine } from "./spool-line";

export function spoolDir(home: string): string {
  return join(home, "spool");
}

export function spoolPaths(home: string, runId: string) {
  const dir = spoolDir(home);
  return {
    file: join(dir, `${runId}.jsonl`),
    lock: join(dir, `${runId}.lock`),
    cursor: join(dir, `${runId}.cursor`),
    /** Records the server refused (or would refuse), each with `why`. */
    rejected: join(dir, `${runId}.rejected.jsonl`),
    /** Unreadable lines set aside, as they were. */
    corrupt: join(dir, `${runId}.corrupt.jsonl`),
  };
}

export type CorruptLine = { file: string; line: number; byteOffset: number; text: string; reason: string };
type ReadItem = { record: SpoolRecord | null; bytes: number };

/**
 * Reads a spool from a byte offset, a chunk at a time. An unreadable line (a torn write, a disk
 * error) is handed to `onCorrupt` with its place and skipped, so one bad line never blocks the rest.
 */
export class SpoolReader {
  /** Everything before this byte is consumed: stored on the server, or set aside. */
  offset: number;
  private ahead: ReadItem[] = [];
  private aheadEnd: number;

  constructor(
    readonly path: string,
    offset: number,
    private readonly onCorrupt: (line: CorruptLine) => void,
  ) {
    this.offset = this.aheadEnd = offset;
  }

  /**
   * The next records: one record, or consecutive point records merged up to `maxPoints`. Reads no
   * further than byte `until`; with `final` (its writer is gone), a last line without a newline is torn.
   */
  async peek(maxPoints: number, until: number, final = false): Promise<{ record: SpoolRecord; count: number } | null> {
    for (;;) {
      while (this.ahead.length > 0 && this.ahead[0].record === null) this.advance(1);
      if (this.ahead.length > 0) break;
      if (!(await this.fill(until, final))) return null;
    }
    const first = this.ahead[0].record!;
    if (first.t !== "points") return { record: first, count: 1 };
    const parts = [first];
    let total = recordPointCount(first);
    let count = 1;
    for (;;) {
      if (count >= this.ahead.length && !(await this.fill(until, final))) break;
      const next = this.ahead[count].record;
      if (!next || next.t !== "points" || total + recordPointCount(next) > maxPoints) break;
      parts.push(next);
      total += recordPointCount(next);
      count++;
    }
    return { record: mergePoints(parts), count };
  }

  /** Marks the `count` records returned by peek() as consumed. */
  advance(count: number): void {
    for (const item of this.ahead.splice(0, count)) this.offset += item.bytes;
  }

  /** Moves the offset past bytes consumed some other way (records sent from memory). */
  skipTo(offset: number): void {
    if (this.ahead.length > 0 || offset <= this.offset) return;
    this.offset = this.aheadEnd = offset;
  }

  private async fill(until: number, final: boolean): Promise<boolean> {
    if (this.aheadEnd >= until) return false;
    const handle = await open(this.path, "r");
    try {
      for (let chunkBytes = 1 << 20; ; chunkBytes *= 4) {
        const length = Math.min(chunkBytes, until - this.aheadEnd);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.aheadEnd);
        const data = buffer.subarray(0, bytesRead);
        let lastNewline = data.lastIndexOf(10);
        if (lastNewline < 0) {
          if (length < until - this.aheadEnd && bytesRead === length) continue;
          if (!final || bytesRead === 0) return false; // an incomplete tail: its writer may still finish it
          lastNewline = bytesRead; // the writer is gone: the tail is a torn line
        }
        const added = this.ahead.length;
        for (let start = 0; start <= lastNewline && start < bytesRead; ) {
          let end = data.indexOf(10, start);
          if (end < 0 || end > lastNewline) end = lastNewline;
          this.ahead.push({ record: end > start ? await this.decode(handle, data, start, end) : null, bytes: Math.min(end + 1, bytesRead) - start });
          start = end + 1;
        }
        this.aheadEnd += Math.min(lastNewline + 1, bytesRead);
        return this.ahead.length > added;
      }
    } finally {
      await handle.close();
    }
  }

  private async decode(handle: FileHandle, data: Buffer, start: number, end: number): Promise<SpoolRecord | null> {
    const text = data.toString("utf8", start, end);
    try {
      return decodeSpoolLine(text, `${this.path} byte ${this.aheadEnd + start}`);
    } catch (error) {
      const byteOffset = this.aheadEnd + start;
      const line = (await countNewlines(handle, byteOffset)) + 1;
      this.onCorrupt({ file: this.path, line, byteOffset, text, reason: (error as Error).message.replace(/^finetrack: unreadable spool line at [^:]*: /, "") });
      return null;
    }
  }
}

async function countNewlines(handle: FileHandle, end: number): Promise<number> {
  const buffer = Buffer.alloc(Math.min(end, 1 << 20));
  let lines = 0;
  for (let at = 0; at < end; ) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, end - at), at);
    if (bytesRead === 0) break;
    for (let i = buffer.indexOf(10, 0); i >= 0 && i < bytesRead; i = buffer.indexOf(10, i + 1)) lines++;
    at += bytesRead;
  }
  return lines;
}

/** The acknowledged byte offset of a spool file: everything before it is stored on the server. */
export function readCursor(cursorPath: string, fileBytes: number): number {
  try {
    const offset = Number(readFileSync(cursorPath, "utf8").trim());
    return Number.isSafeInteger(offset) && offset >= 0 && offset <= fileBytes ? offset : 0;
  } catch {
    return 0;
  }
}

/**
 * One run's append-only spool: records are appended synchronously (so they survive an abrupt exit)
 * and read back from a cursor by the background sender, which never rewrites the file. The cursor
 * (`<run>.cursor`) is saved after every acknowledged request, so a restarted run or `finetrack sync`
 * sends nothing twice. Lines before `fileEnd` are only on disk; lines after it (durable mode) are
 * also in the run's memory queue, which the sender sends from.
 */
export class SpoolFile {
  readonly path: string;
  readonly lockPath: string;
  readonly cursorPath: string;
  private fd: number | null = null;
  private cursorFd: number | null = null;
  private writtenBytes = 0;
  private fileEnd = 0;
  private reader: SpoolReader;

  constructor(
    home: string,
    runId: string,
    private readonly onCorrupt: (line: CorruptLine) => void = () => {},
  ) {
    const paths = spoolPaths(home, runId);
    this.path = paths.file;
    this.lockPath = paths.lock;
    this.cursorPath = paths.cursor;
    this.reader = new SpoolReader(this.path, 0, onCorrupt);
  }

  get started(): boolean {
    return this.fd !== null;
  }

  /** Lines only on disk, waiting for the sender. */
  get hasUnsent(): boolean {
    return this.reader.offset < this.fileEnd;
  }

  /** Lines not yet acknowledged by the server (on disk only, or also in memory). */
  get hasUnacked(): boolean {
    return this.reader.offset < this.writtenBytes;
  }

  get bytes(): number {
    return this.writtenBytes;
  }

  /**
   * Opens (creating) the file; a new file starts with the run's create record so it can be synced
   * alone (`createSent`: the server already has it, so the cursor starts past it).
   */
  start(createRecord: SpoolRecord, options: { createSent?: boolean } = {}): void {
    if (this.fd !== null) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const existed = existsSync(this.path);
    this.fd = openSync(this.path, "a+");
    this.writtenBytes = existed ? fstatSync(this.fd).size : 0;
    // A leftover file of the same run (an earlier process that never synced) is sent again from its
    // cursor: re-sending is idempotent, and deleting it unsent would lose data.
    const cursor = existed ? readCursor(this.cursorPath, this.writtenBytes) : 0;
    if (!existed) rmQuiet(this.cursorPath);
    this.reader = new SpoolReader(this.path, cursor, this.onCorrupt);
    if (this.writtenBytes > 0 && !endsWithNewline(this.fd, this.writtenBytes)) this.write("\n"); // a torn last line stays one line
    this.fileEnd = this.writtenBytes;
    // The lock tells `finetrack sync` that a live process still owns this file.
    writeFileSync(this.lockPath, String(process.pid));
    this.append([createRecord], { inMemory: false });
    if (options.createSent && !existed) {
      this.reader.skipTo(this.writtenBytes);
      this.saveCursor();
    }
  }

  /**
   * Appends records; `inMemory`: the caller keeps them in its queue too (durable mode), otherwise
   * the sender reads them from here. Returns the end offset of each record's line.
   */
  append(records: SpoolRecord[], options: { inMemory: boolean }): number[] {
    if (this.fd === null) throw new Error("finetrack: spool file used before start()");
    const lines = records.map(encodeSpoolLine);
    const ends: number[] = [];
    let end = this.writtenBytes;
    for (const line of lines) ends.push((end += Buffer.byteLength(line)));
    this.write(lines.join(""));
    if (!options.inMemory) this.fileEnd = this.writtenBytes;
    return ends;
  }

  /** The caller dropped its memory queue: everything in the file is for the sender to read. */
  handOver(): void {
    this.fileEnd = this.writtenBytes;
  }

  /** The next unsent records from the file (point records merged up to maxPoints), or null. */
  peekBatch(maxPoints: number): Promise<{ record: SpoolRecord; count: number } | null> {
    return this.hasUnsent ? this.reader.peek(maxPoints, this.fileEnd) : Promise.resolve(null);
  }

  /** Marks the `count` records returned by peekBatch() as stored. */
  advance(count: number): void {
    this.reader.advance(count);
    this.saveCursor();
  }

  /** Records sent from memory are stored up to byte `end`. */
  ack(end: number): void {
    if (this.hasUnsent || end <= this.reader.offset) return;
    this.reader.skipTo(end);
    this.saveCursor();
  }

  /** Closes the file; with `remove`, deletes it (everything in it is stored on the server). */
  close(options: { remove: boolean }): void {
    if (this.fd !== null) closeSync(this.fd);
    if (this.cursorFd !== null) closeSync(this.cursorFd);
    this.fd = this.cursorFd = null;
    if (options.remove) {
      // The cursor first: a file left without its cursor is only sent again, never lost.
      rmQuiet(this.cursorPath);
      rmQuiet(this.path);
    }
    rmQuiet(this.lockPath);
    this.writtenBytes = this.fileEnd = 0;
    this.reader = new SpoolReader(this.path, 0, this.onCorrupt);
  }

  private write(text: string): void {
    const bytes = Buffer.byteLength(text);
    let written = writeSync(this.fd!, text);
    if (written < bytes) {
      // A short write (rare on a regular file): the rest from a buffer.
      const buffer = Buffer.from(text, "utf8");
      while (written < bytes) written += writeSync(this.fd!, buffer, written);
    }
    this.writtenBytes += bytes;
  }

  /** One small positional write per acknowledged request (fixed width, so it never needs truncating). */
  private saveCursor(): void {
    try {
      this.cursorFd ??= openSync(this.cursorPath, "w");
      writeSync(this.cursorFd, String(this.reader.offset).padEnd(CURSOR_WIDTH), 0);
    } catch {
      // Without a cursor the file is only sent again from its start (idempotent).
    }
  }
}

/** Digits of the largest safe integer: a cursor line never shrinks, so it is rewritten in place. */
const CURSOR_WIDTH = 16;

function endsWithNewline(fd: number, size: number): boolean {
  const last = Buffer.alloc(1);
  readSync(fd, last, 0, 1, size - 1);
  return last[0] === 10;
}

function rmQuiet(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

/** Whether another live process holds a run's spool (its lock names a running pid). */
export function isSpoolLocked(lockPath: string): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(lockPath, "utf8").trim());
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
