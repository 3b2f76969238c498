import { describe, expect, it } from "vitest";
import { placeMarkerLabels, RELATIVE_INCRS, safeRange, STEP_INCRS } from "./chart-layout";

describe("chart layout", () => {
  it("never gives a zero-width range (one point, one x for every point, nothing finite)", () => {
    expect(safeRange(5, 5)).toEqual([4.5, 5.5]);
    expect(safeRange(0, 0)).toEqual([-1, 1]);
    expect(safeRange(1_234_567, 1_234_567)[1] - safeRange(1_234_567, 1_234_567)[0]).toBeGreaterThan(0);
    expect(safeRange(null, null)).toEqual([0, 1]);
    expect(safeRange(3, 3, true)).toEqual([1.5, 6]);
    expect(safeRange(2, 9)).toEqual([2, 9]);
  });

  it("puts marker labels that would overlap on separate rows, and keeps them inside the plot", () => {
    const box = { left: 60, right: 600, gap: 4 };
    // "best @18" and "onset @24" are a few pixels apart: the second goes one row down.
    const [best, onset] = placeMarkerLabels([{ px: 200, width: 50 }, { px: 215, width: 56 }], box);
    expect(best.row).toBe(0);
    expect(onset.row).toBe(1);
    // Far apart: one row.
    expect(placeMarkerLabels([{ px: 100, width: 50 }, { px: 400, width: 50 }], box).map((p) => p.row)).toEqual([0, 0]);
    // Near the right edge the label is drawn left of its line.
    const [edge] = placeMarkerLabels([{ px: 590, width: 50 }], box);
    expect(edge.x + 50).toBeLessThanOrEqual(590);
    // Never left of the plot.
    expect(placeMarkerLabels([{ px: 0, width: 50 }], box)[0].x).toBeGreaterThanOrEqual(box.left);
  });

  it("relative-time and step ticks are whole and evenly spaced", () => {
    expect(RELATIVE_INCRS.every(Number.isInteger)).toBe(true);
    expect(STEP_INCRS.slice(0, 6)).toEqual([1, 2, 5, 10, 20, 50]);
    expect(STEP_INCRS.every(Number.isInteger)).toBe(true);
  });
});
