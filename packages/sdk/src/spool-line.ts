import { wireTransformer, type MetricPoint } from "@finetrack/contracts";
import { joinWire, type SpoolRecord } from "./spool-record";

/** Point records, the bulk of a spool, are stored column-wise: keys once, numbers as plain JSON. */
type PointsLine = { t: "p"; keys: string[]; k: number[]; s: number[]; v: Array<number | string>; e: Array<number | null>; tm: Array<number | null> };
type ObjectLine = { t: "o"; points: MetricPoint[] };
/** Other records are stored as the wire sends them (superjson's `{ json, meta }`), so any key name survives. */
type RecordLine = { json: unknown; meta?: unknown };

// JSON has no NaN or ±Infinity; they are written as strings and restored on read.
const encodeNumber = (value: number): number | string => (Number.isFinite(value) ? value : String(value));
const decodeNumber = (value: number | string): number => (typeof value === "number" ? value : Number(value));
const timeMs = (time: MetricPoint["time"]): number | null => (time === undefined ? null : typeof time === "number" ? time : time.getTime());

function toLine(record: SpoolRecord): PointsLine | RecordLine {
  if (record.t !== "points") return wireTransformer.serialize(record) as RecordLine;
  // A Map, not an object: a metric named `constructor` or `__proto__` is just a key.
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
  return line;
}

/** Durable mode's point lines: the points as the wire sends them (plain JSON, so finite values only). */
const OBJECT_LINE_START = '{"t":"o","points":[';

export function encodeSpoolLine(record: SpoolRecord): string {
  if (record.t === "points" && record.wire !== undefined) return `${OBJECT_LINE_START}${joinWire(record.wire)}]}\n`;
  return `${JSON.stringify(toLine(record))}\n`;
}

/**
 * A line of `<run>.rejected.jsonl`: the record as in the spool (so it can be fixed and replayed)
 * plus `why`, the server's (or the SDK's identical) reason — one per point for a points record.
 */
export function encodeRejectedLine(record: SpoolRecord, why: string | string[]): string {
  const reasons = record.t === "points" && typeof why === "string" ? record.points.map(() => why) : why;
  return `${JSON.stringify({ ...toLine(record), why: reasons })}\n`;
}

export function decodeSpoolLine(line: string, where: string): SpoolRecord {
  try {
    const parsed = JSON.parse(line) as PointsLine | RecordLine | ObjectLine;
    if (typeof parsed !== "object" || parsed === null) throw new Error("expected a JSON object");
    if ("t" in parsed && parsed.t === "o") {
      if (!Array.isArray(parsed.points) || !line.startsWith(OBJECT_LINE_START) || !line.endsWith("]}")) throw new Error("expected a points line");
      return { t: "points", points: parsed.points, wire: line.slice(OBJECT_LINE_START.length, -2) };
    }
    if (!("t" in parsed) || parsed.t !== "p") {
      const record = wireTransformer.deserialize(parsed) as SpoolRecord;
      if (typeof record !== "object" || record === null || !["create", "update", "points", "artifact", "finish"].includes(record.t)) throw new Error("expected a spool record");
      return record;
    }
    const points: MetricPoint[] = new Array(parsed.s.length);
    for (let i = 0; i < parsed.s.length; i++) {
      const key = parsed.keys[parsed.k[i]];
      if (typeof key !== "string") throw new Error(`point ${i} names key index ${parsed.k[i]}, which is not in keys`);
      const point: MetricPoint = { key, step: parsed.s[i], value: decodeNumber(parsed.v[i]) };
      if (parsed.e[i] !== null) point.epoch = parsed.e[i];
      if (parsed.tm[i] !== null) point.time = parsed.tm[i]!;
      points[i] = point;
    }
    return { t: "points", points };
  } catch (error) {
    throw new Error(`finetrack: unreadable spool line at ${where}: ${(error as Error).message}`);
  }
}
