// Number and duration text for people (dashboard cells, CLI output, analysis messages). No
// dependencies, so the pure analysis package and browser code import it as `@finetrack/contracts/format`.

export interface NumberFormat {
  /** Significant digits of a non-integer (default 5). */
  digits?: number;
  /** Thousands separators in integers: 4,000 (default off). */
  grouping?: boolean;
}

/**
 * 0.083333, 1.2346e-4, 1234567 (integers below 1e15 in full), NaN, ∞, −∞; "" for null/undefined.
 * Non-integers below 1e-3 or from 1e6 up in exponent form, trailing zeros dropped.
 */
export function formatNumber(v: number | null | undefined, { digits = 5, grouping = false }: NumberFormat = {}): string {
  if (v === null || v === undefined) return "";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e15) return grouping ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ",") : String(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(v.toPrecision(digits)));
}

/** A byte count in full (1,234,567 B) with its size in KiB/MiB/GiB: byte counts are never rounded away. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return formatNumber(bytes);
  const full = `${Math.round(bytes).toLocaleString("en-US")} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = Math.abs(bytes);
  let u = -1;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u < 0 ? full : `${full} (${v.toPrecision(3)} ${units[u]})`;
}

/** A metric's value as text: byte counts (a key naming bytes) in full, other numbers as `formatNumber`. */
export function formatMetricValue(key: string, v: number): string {
  return /bytes/i.test(key) && Number.isInteger(v) ? formatBytes(v) : formatNumber(v);
}

/** A duration given in milliseconds: 350ms, 45s, 12m05s, 3h07m; "" when not finite. */
export function formatDurationMs(ms: number): string {
  if (!Number.isFinite(ms)) return "";
  const a = Math.abs(ms);
  const sign = ms < 0 && a >= 0.5 ? "-" : "";
  if (a >= 0.5 && a < 999.5) return `${sign}${Math.round(a)}ms`;
  const s = Math.round(a / 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  if (s < 60) return `${sign}${s}s`;
  if (s < 3600) return `${sign}${Math.floor(s / 60)}m${pad(s % 60)}s`;
  return `${sign}${Math.floor(s / 3600)}h${pad(Math.floor((s % 3600) / 60))}m`;
}
