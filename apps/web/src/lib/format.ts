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
