// Pure layout rules of the line chart (no uPlot, no DOM), so they are testable on their own.
import type { XMode } from "./chart-data";

export const X_TITLE: Record<XMode, string> = { step: "step", epoch: "epoch", relative: "time since start", wall: "wall time" };

/** Whole-second tick spacings for relative time, so ticks read 5s, 10s, 15s… and never 3s, 5s, 8s. */
export const RELATIVE_INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400, 172800, 604800];
/** Steps are whole: 1, 2, 5, 10, 20, 50… */
export const STEP_INCRS = Array.from({ length: 30 }, (_, k) => [1, 2, 5][k % 3] * 10 ** Math.floor(k / 3));

/**
 * A scale range that is never empty: uPlot's tick splitter loops forever (and throws "Invalid
 * array length") on a zero-width range, which a single point or one x value for every point makes.
 */
export function safeRange(min: number | null, max: number | null, log = false): [number, number] {
  if (min === null || max === null || !Number.isFinite(min) || !Number.isFinite(max)) return log ? [0.1, 10] : [0, 1];
  if (min !== max) return [min, max];
  if (log) return min > 0 ? [min / 2, min * 2] : [0.1, 10];
  const pad = Math.abs(min) * 0.1 || 1;
  return [min - pad, max + pad];
}

/**
 * Where each marker's label goes: right of its line (left of it near the right edge), inside the
 * plot, on the first row where it overlaps no label already placed.
 */
export function placeMarkerLabels(labels: { px: number; width: number }[], box: { left: number; right: number; gap: number }): { x: number; row: number }[] {
  const taken: { from: number; to: number; row: number }[] = [];
  return labels.map(({ px, width }) => {
    let x = px + box.gap;
    if (x + width > box.right) x = px - box.gap - width;
    x = Math.max(box.left + box.gap, x);
    let row = 0;
    while (taken.some((t) => t.row === row && x < t.to + box.gap && x + width + box.gap > t.from)) row++;
    taken.push({ from: x, to: x + width, row });
    return { x, row };
  });
}
