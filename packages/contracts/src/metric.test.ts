import { describe, expect, it } from "vitest";
import { formatZodError, LogBatchInput, MAX_POINTS_PER_BATCH, RunListInput, parseRunField } from "./index";

function errorOf(schema: { safeParse(v: unknown): { success: boolean; error?: unknown } }, value: unknown): string {
  const r = schema.safeParse(value);
  expect(r.success).toBe(false);
  return formatZodError(r.error as never);
}

describe("LogBatchInput", () => {
  const ok = { runId: "r1", points: [{ key: "train/loss", step: 0, value: 1 }] };

  it("accepts NaN and ±Infinity values", () => {
    const r = LogBatchInput.parse({ runId: "r1", points: [NaN, Infinity, -Infinity].map((value, step) => ({ key: "k", step, value })) });
    expect(r.points.map((p) => p.value)).toEqual([NaN, Infinity, -Infinity]);
  });

  it.each([
    [{ ...ok, points: [{ key: "k", step: -1, value: 1 }] }, "points[0].step: expected a non-negative step"],
    [{ ...ok, points: [{ key: "k", step: 1.5, value: 1 }] }, "points[0].step: expected an integer step"],
    [{ ...ok, points: [{ key: "", step: 1, value: 1 }] }, "points[0].key: expected a non-empty metric key"],
    [{ ...ok, points: [{ key: "x".repeat(257), step: 1, value: 1 }] }, "points[0].key: expected a metric key of at most 256 characters"],
    [{ ...ok, points: [{ key: "k", step: 1, value: "1" }] }, "points[0].value: expected a number"],
    [{ ...ok, runId: 5 }, "runId: expected a run id (string)"],
  ])("names the field: %#", (input, message) => {
    expect(errorOf(LogBatchInput, input)).toContain(message);
  });

  it("rejects more than the batch limit", () => {
    const points = Array.from({ length: MAX_POINTS_PER_BATCH + 1 }, (_, step) => ({ key: "k", step, value: 1 }));
    expect(errorOf(LogBatchInput, { runId: "r", points })).toContain("points: expected at most 10000 points per batch");
  });
});

describe("run fields", () => {
  it("parses columns, config, summary and metric stats", () => {
    expect(parseRunField("baseModel")).toEqual({ kind: "column", column: "baseModel" });
    expect(parseRunField("config.optimizer.lr")).toEqual({ kind: "config", path: ["optimizer", "lr"] });
    expect(parseRunField("summary.best")).toEqual({ kind: "summary", path: ["best"] });
    expect(parseRunField("metrics.val.loss.min")).toEqual({ kind: "metric", key: "val.loss", stat: "min" });
    expect(parseRunField("metrics.val/loss.median")).toMatch(/expected 'metrics.<key>.<stat>'/);
  });

  it("rejects an unknown sort field naming it", () => {
    expect(errorOf(RunListInput, { project: "p", sort: { field: "color" } })).toContain("sort.field: expected a column");
  });
});
