import { describe, expect, it } from "vitest";
import { parsePythonJson, salvageArrayObjects } from "./python-json";
import { crc32c, frameTfRecord, readTfRecords } from "./tfrecord";

describe("JSON as Python writes it", () => {
  it("reads bare NaN, Infinity and -Infinity tokens, and leaves those words inside strings alone", () => {
    const parsed = parsePythonJson('{"loss": NaN, "grad_norm": Infinity, "x": [-Infinity, 1], "note": "NaN and Infinity", "k\\"NaN": 2}') as Record<string, unknown>;
    expect(parsed.loss).toBeNaN();
    expect(parsed.grad_norm).toBe(Number.POSITIVE_INFINITY);
    expect(parsed.x).toEqual([Number.NEGATIVE_INFINITY, 1]);
    expect(parsed.note).toBe("NaN and Infinity");
    expect(parsed['k"NaN']).toBe(2);
  });

  it("still rejects what is not JSON", () => {
    expect(() => parsePythonJson('{"loss": nan}')).toThrow();
  });

  it("salvages the complete objects of an array cut off mid-write, with the offset of the cut", () => {
    const text = '{"log_history": [{"a": 1}, {"b": {"c": "}"}}, {"d": NaN}, {"e": 1';
    const { objects, stoppedAt } = salvageArrayObjects(text, text.indexOf("["));
    expect(objects).toHaveLength(3);
    expect((objects[2] as { d: number }).d).toBeNaN();
    expect(stoppedAt).toBe(text.lastIndexOf("{"));
  });
});

describe("TFRecord framing", () => {
  it("computes CRC-32C (Castagnoli) check value", () => {
    expect(crc32c(Buffer.from("123456789"))).toBe(0xe3069283);
  });

  it("reads framed records back and stops at a damaged one with its offset", () => {
    const file = Buffer.concat([frameTfRecord(Buffer.from("one")), frameTfRecord(Buffer.from("two")), frameTfRecord(Buffer.from("three"))]);
    expect(readTfRecords(file).records.map(String)).toEqual(["one", "two", "three"]);
    const damaged = Buffer.from(file);
    damaged[19 + 12 + 1] ^= 0xff; // a data byte of the second record (the first takes 12 + 3 + 4 bytes)
    const read = readTfRecords(damaged);
    expect(read.records.map(String)).toEqual(["one"]);
    expect(read.error).toEqual({ offset: 19, message: expect.stringMatching(/CRC-32C/) });
    const cut = readTfRecords(file.subarray(0, file.length - 3));
    expect(cut.records).toHaveLength(2);
    expect(cut.error?.message).toMatch(/truncated/);
  });
});
