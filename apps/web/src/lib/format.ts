// Kept apart from chart-data so pages without charts do not pull the analysis package into their bundle.

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "";
  const s = Math.abs(seconds);
  if (s < 60) return `${Math.round(seconds)}s`;
  if (s < 3600) return `${Math.floor(seconds / 60)}m${Math.round(s % 60).toString().padStart(2, "0")}s`;
  return `${Math.floor(seconds / 3600)}h${Math.floor((s % 3600) / 60).toString().padStart(2, "0")}m`;
}

export function formatNumber(v: number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "∞" : "−∞";
  const a = Math.abs(v);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return v.toExponential(3);
  if (Number.isInteger(v)) return String(v);
  return v.toPrecision(5).replace(/\.?0+$/, "");
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

/** A metric's value as text: byte counts in full, other numbers as `formatNumber`. */
export function formatMetricValue(key: string, v: number): string {
  return /bytes/i.test(key) && Number.isInteger(v) ? formatBytes(v) : formatNumber(v);
}
