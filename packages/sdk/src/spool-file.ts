import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { MetricPoint } from "@finetrack/contracts";
import superjson, { type SuperJSONResult } from "superjson";
import type { SpoolRecord } from "./spool-record";

export function spoolDir(home: string): string {
  return join(home, "spool");
}

export function spoolPaths(home: string, runId: string) {
  const dir = spoolDir(home);
  return { file: join(dir, `${runId}.jsonl`), lock: join(dir, `${runId}.lock`), rejected: join(dir, `${runId}.rejected.jsonl`) };
}

/** Point records, the bulk of a spool, are stored column-wise: keys once, numbers as plain JSON. */
type PointsLine = { t: "p"; keys: string[]; k: number[]; s: number[]; v: Array<number | string>; e: Array<number | null>; tm: Array<number | null> };

// JSON has no NaN or ±Infinity; they are written as strings and restored on read.
const encodeNumber = (value: number): number | string => (Number.isFinite(value) ? value : String(value));
const decodeNumber = (value: number | string): number => (typeof value === "number" ? value : Number(value));
const timeMs = (time: MetricPoint["time"]): number | null => (time === undefined ? null : typeof time === "number" ? time : time.getTime());

export function encodeSpoolLine(record: SpoolRecord): string {
  if (record.t !== "points") return `${superjson.stringify(record)}\n`;
  const keyIndex = new Map<string, number>();
  const line: PointsLine = { t: "p", keys: [], k: [], s: [], v: [], e: [], tm: [] };
  for (const point of record.points) {
    let index = keyIndex.get(point.key);
    if (index === undefined) {
      index = line.keys.push(point.key) - 1;
      keyIndex.set(point.key, index);
    }
    line.k.push(index);
    line.s.push(point.step);
    line.v.push(encodeNumber(point.value));
    line.e.push(point.epoch ?? null);
    line.tm.push(timeMs(point.time));
  }
  return `${JSON.stringify(line)}\n`;
}

export function decodeSpoolLine(line: string, where: string): SpoolRecord {
  try {
    const parsed = JSON.parse(line) as PointsLine | SuperJSONResult;
    if (!("t" in parsed) || parsed.t !== "p") return superjson.deserialize<SpoolRecord>(parsed as SuperJSONResult);
    const points: MetricPoint[] = new Array(parsed.s.length);
    for (let i = 0; i < parsed.s.length; i++) {
      const point: MetricPoint = { key: parsed.keys[parsed.k[i]], step: parsed.s[i], value: decodeNumber(parsed.v[i]) };
      if (parsed.e[i] !== null) point.epoch = parsed.e[i];
      if (parsed.tm[i] !== null) point.time = parsed.tm[i]!;
      points[i] = point;
    }
    return { t: "points", points };
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
