import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import superjson from "superjson";
import type { SpoolRecord } from "./spool-record";

export function spoolDir(home: string): string {
  return join(home, "spool");
}

export function spoolPaths(home: string, runId: string) {
  const dir = spoolDir(home);
  return { file: join(dir, `${runId}.jsonl`), lock: join(dir, `${runId}.lock`), rejected: join(dir, `${runId}.rejected.jsonl`) };
}

// superjson keeps NaN, ±Infinity, Date and BigInt exact, which plain JSON would lose.
export function encodeSpoolLine(record: SpoolRecord): string {
  return `${superjson.stringify(record)}\n`;
}

export function decodeSpoolLine(line: string, where: string): SpoolRecord {
  try {
    return superjson.parse<SpoolRecord>(line);
  } catch (error) {
    throw new Error(`finetrack: unreadable spool line at ${where}: ${(error as Error).message}`);
  }
}

type ReadItem = { record: SpoolRecord; bytes: number };

/**
 * One run's append-only spool: records are appended synchronously (so they survive an abrupt exit)
 * and read back from a cursor by the background sender, which never rewrites the file.
 */
export class SpoolFile {
  readonly path: string;
  readonly lockPath: string;
  private fd: number | null = null;
  private writtenBytes = 0;
  private readOffset = 0;
  /** Parsed records after readOffset, read ahead in one chunk. */
  private readAhead: ReadItem[] = [];
  private readAheadEnd = 0;

  constructor(home: string, runId: string) {
    const paths = spoolPaths(home, runId);
    this.path = paths.file;
    this.lockPath = paths.lock;
  }

  get started(): boolean {
    return this.fd !== null;
  }

  get hasUnsent(): boolean {
    return this.readOffset < this.writtenBytes;
  }

  /** Opens (creating) the file; a new file starts with the run's create record so it can be synced alone. */
  start(createRecord: SpoolRecord): void {
    if (this.fd !== null) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const existed = existsSync(this.path);
    this.fd = openSync(this.path, "a");
    this.writtenBytes = existed ? statSync(this.path).size : 0;
    // A leftover file of the same run (an earlier process that never synced) is sent again too:
    // re-sending is idempotent, and deleting it unsent would lose data.
    this.readOffset = 0;
    this.readAheadEnd = 0;
    // The lock tells `finetrack sync` that a live process still owns this file.
    writeFileSync(this.lockPath, String(process.pid));
    this.append([createRecord]);
  }

  append(records: SpoolRecord[]): void {
    if (this.fd === null) throw new Error("finetrack: spool file used before start()");
    if (records.length === 0) return;
    const buffer = Buffer.from(records.map(encodeSpoolLine).join(""), "utf8");
    let offset = 0;
    while (offset < buffer.length) offset += writeSync(this.fd, buffer, offset);
    this.writtenBytes += buffer.length;
  }

  /** The next unsent record, or null when the reader has caught up with the writer. */
  async peek(): Promise<ReadItem | null> {
    if (!this.hasUnsent) return null;
    if (this.readAhead.length === 0) await this.fill();
    return this.readAhead[0] ?? null;
  }

  /** Marks the record returned by peek() as stored. */
  advance(): void {
    const item = this.readAhead.shift();
    if (item) this.readOffset += item.bytes;
  }

  private async fill(): Promise<void> {
    const handle = await open(this.path, "r");
    try {
      let chunkBytes = 1 << 20;
      for (;;) {
        const length = Math.min(chunkBytes, this.writtenBytes - this.readAheadEnd);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, this.readAheadEnd);
        const lastNewline = buffer.subarray(0, bytesRead).lastIndexOf(10);
        if (lastNewline < 0) {
          if (length >= this.writtenBytes - this.readAheadEnd) return; // an incomplete tail: nothing to read yet
          chunkBytes *= 4;
          continue;
        }
        let start = 0;
        while (start <= lastNewline) {
          const end = buffer.indexOf(10, start);
          const line = buffer.toString("utf8", start, end);
          this.readAhead.push({ record: decodeSpoolLine(line, `${this.path}:${this.readAheadEnd + start}`), bytes: end + 1 - start });
          start = end + 1;
        }
        this.readAheadEnd += lastNewline + 1;
        return;
      }
    } finally {
      await handle.close();
    }
  }

  /** Closes the file; with `remove`, deletes it (everything in it is stored on the server). */
  close(options: { remove: boolean }): void {
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (options.remove) rmQuiet(this.path);
    rmQuiet(this.lockPath);
    this.writtenBytes = this.readOffset = this.readAheadEnd = 0;
    this.readAhead = [];
  }
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
