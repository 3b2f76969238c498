import { emaSmooth } from "@finetrack/analysis";

export type XMode = "step" | "epoch" | "relative" | "wall";
export const X_MODES: { value: XMode; label: string }[] = [
  { value: "step", label: "Step" },
  { value: "epoch", label: "Epoch" },
  { value: "relative", label: "Relative time" },
  { value: "wall", label: "Wall time" },
];

/** One curve as the API returns it (column-wise; time in ms since the epoch). */
export interface CurveColumns {
  step: number[];
  value: number[];
  epoch: (number | null)[];
  time: number[];
}

export interface ChartLine {
  id: string;
  label: string;
  color: string;
  /** Finite and ascending. */
  x: number[];
  /** null = a gap (non-finite value, or non-positive on a log axis). */
  y: (number | null)[];
  dash?: number[];
  width?: number;
}

/** x value of point i: step, epoch, seconds since `startMs`, or Unix seconds. */
export function xAt(c: CurveColumns, i: number, mode: XMode, startMs: number): number {
  if (mode === "step") return c.step[i];
  if (mode === "epoch") return c.epoch[i] ?? NaN;
  if (mode === "relative") return (c.time[i] - startMs) / 1000;
  return c.time[i] / 1000;
}

/**
 * Points ready to draw: EMA-smoothed (weight 0 = raw) on the chosen x axis. Points without an x
 * (no epoch logged) are left out; non-finite values, and non-positive ones on a log axis, become gaps.
 */
export function toLinePoints(
  c: CurveColumns,
  opts: { xMode: XMode; smoothing: number; logY: boolean; startMs?: number },
): { x: number[]; y: (number | null)[] } {
  const n = c.value.length;
  let values: ArrayLike<number> = c.value;
  if (opts.smoothing > 0 && n > 1) {
    const points = new Array(n);
    for (let i = 0; i < n; i++) points[i] = { step: c.step[i], value: c.value[i] };
    values = emaSmooth(points, opts.smoothing).map((p) => p.value);
  }
  const startMs = opts.startMs ?? (n > 0 ? c.time[0] : 0);
  const x: number[] = [];
  const y: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const xv = xAt(c, i, opts.xMode, startMs);
    if (!Number.isFinite(xv)) continue;
    const v = values[i];
    x.push(xv);
    y.push(Number.isFinite(v) && (!opts.logY || v > 0) ? v : null);
  }
  return { x, y };
}
