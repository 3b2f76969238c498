/** Compact human formatting for messages: 4 significant digits, thousands separators for steps. */
export function fmt(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return "n/a";
  if (!Number.isFinite(x)) return String(x);
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(digits - 1).replace(/\.?0+e/, "e");
  return String(Number(x.toPrecision(digits)));
}

export function pct(x: number, digits = 2): string {
  return `${fmt(100 * x, digits)}%`;
}
