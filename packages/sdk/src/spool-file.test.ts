import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSpoolLine, encodeSpoolLine, isSpoolLocked, SpoolFile, SpoolReader, type CorruptLine } from "./spool-file";
import type { SpoolRecord } from "./spool-record";

const create: SpoolRecord = { t: "create", input: { project: "p", id: "r1" } };

const append = (spool: SpoolFile, records: SpoolRecord[]) => spool.append(records, { inMemory: false });

async function drain(spool: SpoolFile, maxPoints: number): Promise<SpoolRecord[]> {
  const seen: SpoolRecord[] = [];
  for (let item = await spool.peekBatch(maxPoints); item; item = await spool.peekBatch(maxPoints)) {
    seen.push(item.record);
    spool.advance(item.count);
  }
  return seen;
}

describe("SpoolFile", () => {
  it("reads back what it appended, in order, with NaN, Infinity, epochs and times intact", async () => {
    const spool = new SpoolFile(mkdtempSync(join(tmpdir(), "ft-spool-")), "r1");
    spool.start(create);
    const time = new Date("2026-01-02T03:04:05.678Z");
    append(spool, [{ t: "points", points: [{ key: "loss", step: 0, value: Number.NaN, time }, { key: "val/loss", step: 1, value: Number.NEGATIVE_INFINITY, epoch: 0.5, time: time.getTime() }, { key: "loss", step: 2, value: -0.25 }] }]);
    append(spool, [{ t: "update", input: { id: "r1", summary: { best: Number.NaN, at: time } } }]);
    append(spool, [{ t: "finish", input: { id: "r1", status: "killed" } }]);
    const seen = await drain(spool, 1);
    expect(seen.map((r) => r.t)).toEqual(["create", "points", "update", "finish"]);
    const points = seen[1].t === "points" ? seen[1].points : [];
    expect(points[0]).toEqual({ key: "loss", step: 0, value: Number.NaN, time: time.getTime() });
    expect(points[1]).toEqual({ key: "val/loss", step: 1, value: Number.NEGATIVE_INFINITY, epoch: 0.5, time: time.getTime() });
    expect(points[2]).toEqual({ key: "loss", step: 2, value: -0.25 });
    expect(seen[2]).toEqual({ t: "update", input: { id: "r1", summary: { best: Number.NaN, at: time } } });
    expect(spool.hasUnsent).toBe(false);
  });

  it("keeps reading across chunk boundaries and lines appended after a read", async () => {
    const spool = new SpoolFile(mkdtempSync(join(tmpdir(), "ft-spool-")), "r2");
    spool.start(create);
    // ~2.5 MB of points: more than one 1 MiB read chunk, with lines straddling chunk ends.
    const big = Array.from({ length: 40 }, (_, i) => ({ t: "points" as const, points: Array.from({ length: 1000 }, (_, j) => ({ key: "train/loss", step: i * 1000 + j, value: Math.random() })) }));
    append(spool, big.slice(0, 20));
    let steps = 0;
    let item = await spool.peekBatch(1000);
    expect(item?.record.t).toBe("create");
    spool.advance(1);
    for (let n = 0; n < 10; n++) {
      item = await spool.peekBatch(1000);
      steps += item?.record.t === "points" ? item.record.points.length : 0;
      spool.advance(item!.count);
    }
    append(spool, big.slice(20));
    // Consecutive point lines come merged, up to the limit asked for.
    for (item = await spool.peekBatch(2500); item; item = await spool.peekBatch(2500)) {
      expect(item.record.t === "points" && item.record.points.length).toBe(2000);
      steps += 2000;
      spool.advance(item.count);
    }
    expect(steps).toBe(40_000);
  });

  it("resends a leftover file of the same run and deletes it only when told", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-spool-"));
    const first = new SpoolFile(home, "r3");
    first.start(create);
    append(first, [{ t: "points", points: [{ key: "a", step: 1, value: 1 }] }]);
    first.close({ remove: false });
    const second = new SpoolFile(home, "r3");
    second.start(create);
    expect((await drain(second, 1)).map((r) => r.t)).toEqual(["create", "points", "create"]);
    expect(existsSync(second.lockPath)).toBe(true);
    second.close({ remove: true });
    expect(existsSync(second.path)).toBe(false);
    expect(existsSync(second.lockPath)).toBe(false);
  });

  it("treats a lock naming a dead process as free", () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-lock-"));
    const lock = join(dir, "x.lock");
    writeFileSync(lock, String(process.pid));
    expect(isSpoolLocked(lock)).toBe(true);
    writeFileSync(lock, "999999999");
    expect(isSpoolLocked(lock)).toBe(false);
    expect(isSpoolLocked(join(dir, "missing.lock"))).toBe(false);
    expect(readFileSync(lock, "utf8")).toBe("999999999");
  });

  it("sets an unreadable line aside with its line number and byte offset, and reads on", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-spool-"));
    const spool = new SpoolFile(home, "r5");
    spool.start(create);
    append(spool, [{ t: "points", points: [{ key: "a", step: 1, value: 1 }] }]);
    spool.close({ remove: false });
    const intact = readFileSync(spool.path, "utf8");
    // A line cut short by a crash, then a process that resumes the run and appends again.
    writeFileSync(spool.path, `${intact}{"t":"p","keys":["a"],"k":[0],"s":[2`);
    const corrupt: CorruptLine[] = [];
    const resumed = new SpoolFile(home, "r5", (line) => corrupt.push(line));
    resumed.start(create);
    append(resumed, [{ t: "points", points: [{ key: "a", step: 3, value: 3 }] }]);
    const seen = await drain(resumed, 100);
    expect(seen.map((r) => r.t)).toEqual(["create", "points", "create", "points"]);
    expect(seen[3]).toEqual({ t: "points", points: [{ key: "a", step: 3, value: 3 }] });
    expect(corrupt).toEqual([{ file: resumed.path, line: 3, byteOffset: Buffer.byteLength(intact), text: '{"t":"p","keys":["a"],"k":[0],"s":[2', reason: expect.stringMatching(/JSON/) }]);
  });

  it("a reader whose writer is gone takes a last line without newline as torn", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "ft-spool-")), "x.jsonl");
    writeFileSync(path, `${encodeSpoolLine(create)}not json\n${encodeSpoolLine(create)}{"json":{"t":"fin`);
    const corrupt: CorruptLine[] = [];
    const reader = new SpoolReader(path, 0, (line) => corrupt.push(line));
    const kinds: string[] = [];
    for (let batch = await reader.peek(10, statSync(path).size, true); batch; batch = await reader.peek(10, statSync(path).size, true)) {
      kinds.push(batch.record.t);
      reader.advance(batch.count);
    }
    expect(kinds).toEqual(["create", "create"]);
    expect(corrupt.map((c) => [c.line, c.text])).toEqual([[2, "not json"], [4, '{"json":{"t":"fin']]);
    expect(reader.offset).toBe(statSync(path).size);
  });

  it("resumes from the acknowledged cursor: nothing is sent twice", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-spool-"));
    const first = new SpoolFile(home, "r6");
    first.start(create);
    append(first, [{ t: "points", points: [{ key: "a", step: 1, value: 1 }] }, { t: "points", points: [{ key: "a", step: 2, value: 2 }] }]);
    const batch = await first.peekBatch(1);
    first.advance(batch!.count);
    first.close({ remove: false });
    const second = new SpoolFile(home, "r6");
    second.start(create);
    expect((await drain(second, 1)).map((r) => (r.t === "points" ? r.points[0].step : r.t))).toEqual([1, 2, "create"]);
    second.close({ remove: true });
    expect(existsSync(second.cursorPath)).toBe(false);
  });

  it("keeps any metric key name, including every Object.prototype member, in point lines", () => {
    const points = Object.getOwnPropertyNames(Object.prototype).map((key, step) => ({ key, step, value: step }));
    const line = encodeSpoolLine({ t: "points", points });
    expect(decodeSpoolLine(line, "test")).toEqual({ t: "points", points });
  });

  it("writes a durable batch's points as the wire sends them, once, and reads that text back with them", () => {
    const points = [{ key: "loss", step: 0, value: 0.5, epoch: 0, time: 1 }, { key: "acc", step: 0, value: 1, time: 1 }];
    const wire = JSON.stringify(points).slice(1, -1);
    const line = encodeSpoolLine({ t: "points", points, wire });
    expect(line).toBe(`{"t":"o","points":[${wire}]}\n`);
    expect(decodeSpoolLine(line.trimEnd(), "test")).toEqual({ t: "points", points, wire });
  });

  it("names the place of an unreadable line", () => {
    expect(() => decodeSpoolLine("{not json", "spool.jsonl:10")).toThrow(/spool.jsonl:10/);
  });
});
