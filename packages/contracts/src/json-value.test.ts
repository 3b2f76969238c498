import { describe, expect, it } from "vitest";
import { formatZodError, LogBatchInput, MAX_EPOCH, RunCreateInput, RunUpdateInput } from "./index";
import { parseLogBatchInput, type LogBatchError } from "./parse-log-batch";

const PROTO_NAMES = Object.getOwnPropertyNames(Object.prototype);

function errorOf(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown): string {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  return formatZodError(r.error as never);
}

describe("JsonObject", () => {
  it("keeps every Object.prototype name as a key, top-level and nested", () => {
    const config = JSON.parse(JSON.stringify(Object.fromEntries(PROTO_NAMES.map((k) => [k, { [k]: k }]))));
    const parsed = RunCreateInput.parse({ project: "p", config });
    expect(Object.keys(parsed.config!).sort()).toEqual([...PROTO_NAMES].sort());
    for (const k of PROTO_NAMES) expect(Object.getOwnPropertyDescriptor((parsed.config as any)[k], k)?.value).toBe(k);
  });

  it.each([
    [{ config: { opt: new Map([["a", 1]]) } }, "config.opt: expected a JSON value (object, array, string, number, boolean or null), got a Map"],
    [{ config: { tags: [new Set([1])] } }, "config.tags[0]: expected a JSON value (object, array, string, number, boolean or null), got a Set"],
    [{ config: { n: BigInt(1) } }, "config.n: expected a JSON value (object, array, string, number, boolean or null), got bigint"],
    [{ config: { s: "a\u0000b" } }, "config.s: expected valid Unicode text without NUL"],
    [{ summary: { "k\ud800": 1 } }, "summary.k\ud800: key: expected valid Unicode text"],
    [{ summary: { at: new Date(-1e17) } }, "summary.at: expected a valid date between 0001-01-01 and 9999-12-31"],
  ])("refuses what JSONB cannot keep exactly, naming the field: %#", (input, message) => {
    expect(errorOf(RunUpdateInput, { id: "r", ...input })).toContain(message);
  });
});

describe("text fields", () => {
  it.each([
    [{ project: "p", name: "a\u0000" }, "name: expected valid Unicode text without NUL (U+0000) or lone surrogates"],
    [{ project: "p", name: "run \udc00" }, "name: expected valid Unicode text without NUL"],
    [{ project: "p", tags: ["ok", "\ud83d"] }, "tags[1]: expected valid Unicode text"],
    [{ project: "p", notes: "\u0000" }, "notes: expected valid Unicode text"],
  ])("refuses NUL and lone surrogates: %#", (input, message) => {
    expect(errorOf(RunCreateInput, input)).toContain(message);
  });

  it("keeps a surrogate pair", () => {
    expect(RunCreateInput.parse({ project: "p", name: "run 🚀" }).name).toBe("run 🚀");
  });
});

describe("metric points at the storage bounds", () => {
  it.each([
    [{ key: "k", step: 0, value: 1, epoch: 1e39 }, `points[0].epoch: expected an epoch of at most ${MAX_EPOCH}`],
    [{ key: "k", step: 0, value: 1, time: new Date("-005000-01-01T00:00:00Z") }, "points[0].time: expected a Date or milliseconds"],
    [{ key: "k", step: 0, value: 1, time: 9e15 }, "points[0].time: expected a Date or milliseconds"],
    [{ key: "k\udfff", step: 0, value: 1 }, "points[0].key: expected valid Unicode text"],
  ])("refuses %#", (point, message) => {
    expect(errorOf(LogBatchInput, { runId: "r", points: [point] })).toContain(message);
    expect(() => parseLogBatchInput({ runId: "r", points: [point] })).toThrow(message.split(": ")[1]);
  });
});

describe("a refused batch lists every bad point", () => {
  it("one entry per bad point, with its index, key, step, field and message", () => {
    const points = [
      { key: "ok", step: 0, value: 1 },
      { key: "a", step: -1, value: 1 },
      { key: "ok", step: 1, value: 1 },
      { key: "b", step: 2, value: "x" },
      { key: "", step: 3, value: 1, epoch: -1 },
      { junk: true },
    ];
    let error: LogBatchError | undefined;
    try {
      parseLogBatchInput({ runId: "r", points });
    } catch (e) {
      error = e as LogBatchError;
    }
    expect(error?.rejected).toEqual([
      { index: 1, key: "a", step: -1, field: "points.1.step", message: "expected a non-negative step" },
      { index: 3, key: "b", step: 2, field: "points.3.value", message: "expected a number (NaN and ±Infinity are allowed)" },
      { index: 4, key: "", step: 3, field: "points.4.key", message: "expected a non-empty metric key" },
      { index: 5, key: null, step: null, field: "points.5.key", message: "expected a metric key (string)" },
    ]);
  });
});
