import { describe, expect, it } from "vitest";
import { LogBatchInput } from "./metric";
import { parseLogBatchInput } from "./parse-log-batch";

const valid = {
  runId: "r-1",
  extra: "stripped",
  points: [
    { key: "a", step: 0, value: NaN, epoch: null, time: 1_700_000_000_000, junk: 1 },
    { key: "b/c", step: 2_147_483_647, value: -Infinity, epoch: 0.5, time: new Date(0) },
    { key: "x".repeat(256), step: 3, value: 1e-300 },
  ],
};

const invalid: unknown[] = [
  null, [], { runId: "r", points: "no" }, { runId: "", points: [] }, { runId: "r", points: [1] },
  ...[
    { key: "", step: 0, value: 1 }, { key: "a\n", step: 0, value: 1 }, { key: "x".repeat(257), step: 0, value: 1 },
    { key: "a", step: -1, value: 1 }, { key: "a", step: 0.5, value: 1 }, { key: "a", step: 2 ** 31, value: 1 }, { key: "a", step: "1", value: 1 },
    { key: "a", step: 0, value: "1" }, { key: "a", step: 0, value: null }, { key: "a", step: 0, value: 1, epoch: -1 },
    { key: "a", step: 0, value: 1, epoch: Infinity }, { key: "a", step: 0, value: 1, time: -5 }, { key: "a", step: 0, value: 1, time: 1.5 },
    { key: "a", step: 0, value: 1, time: new Date(NaN) }, { key: "a", step: 0, value: 1, time: "2020-01-01" },
  ].map((p) => ({ runId: "r", points: [{ key: "ok", step: 0, value: 0 }, p] })),
];

describe("parseLogBatchInput", () => {
  it("accepts what the zod schema accepts, with the same values", () => {
    const fast = parseLogBatchInput(valid);
    const zod = LogBatchInput.parse(valid);
    expect(fast.runId).toBe(zod.runId);
    expect(fast.points.map(({ key, step, value, epoch, time }) => ({ key, step, value, epoch, time }))).toEqual(
      zod.points.map(({ key, step, value, epoch, time }) => ({ key, step, value, epoch, time })),
    );
  });

  it.each(invalid.map((v) => [JSON.stringify(v)?.slice(0, 80), v]))("fails like the schema: %s", (_label, input) => {
    const zod = LogBatchInput.safeParse(input);
    expect(zod.success).toBe(false);
    expect(() => parseLogBatchInput(input)).toThrow(zod.error!.message);
  });
});
