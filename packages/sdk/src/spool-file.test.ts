import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { decodeSpoolLine, isSpoolLocked, SpoolFile } from "./spool-file";
import type { SpoolRecord } from "./spool-record";

const create: SpoolRecord = { t: "create", input: { project: "p", id: "r1" } };

describe("SpoolFile", () => {
  it("reads back what it appended, in order, with NaN, Infinity, epochs and times intact", async () => {
    const spool = new SpoolFile(mkdtempSync(join(tmpdir(), "ft-spool-")), "r1");
    spool.start(create);
    const time = new Date("2026-01-02T03:04:05.678Z");
    spool.append([{ t: "points", points: [{ key: "loss", step: 0, value: Number.NaN, time }, { key: "val/loss", step: 1, value: Number.NEGATIVE_INFINITY, epoch: 0.5, time: time.getTime() }, { key: "loss", step: 2, value: -0.25 }] }]);
    spool.append([{ t: "update", input: { id: "r1", summary: { best: Number.NaN, at: time } } }]);
    spool.append([{ t: "finish", input: { id: "r1", status: "killed" } }]);
    const seen: SpoolRecord[] = [];
    for (let item = await spool.peek(); item; item = await spool.peek()) {
      seen.push(item.record);
      spool.advance();
    }
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
    spool.append(big.slice(0, 20));
    let steps = 0;
    let item = await spool.peek();
    expect(item?.record.t).toBe("create");
    spool.advance();
    for (let n = 0; n < 10; n++) {
      item = await spool.peek();
      steps += item?.record.t === "points" ? item.record.points.length : 0;
      spool.advance();
    }
    spool.append(big.slice(20));
    for (item = await spool.peek(); item; item = await spool.peek()) {
      steps += item.record.t === "points" ? item.record.points.length : 0;
      spool.advance();
    }
    expect(steps).toBe(40_000);
  });

  it("resends a leftover file of the same run and deletes it only when told", async () => {
    const home = mkdtempSync(join(tmpdir(), "ft-spool-"));
    const first = new SpoolFile(home, "r3");
    first.start(create);
    first.append([{ t: "points", points: [{ key: "a", step: 1, value: 1 }] }]);
    first.close({ remove: false });
    const second = new SpoolFile(home, "r3");
    second.start(create);
    const kinds: string[] = [];
    for (let item = await second.peek(); item; item = await second.peek()) {
      kinds.push(item.record.t);
      second.advance();
    }
    expect(kinds).toEqual(["create", "points", "create"]);
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

  it("names the place of an unreadable line", () => {
    expect(() => decodeSpoolLine("{not json", "spool.jsonl:10")).toThrow(/spool.jsonl:10/);
  });
});
