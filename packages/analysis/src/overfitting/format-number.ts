import { formatNumber } from "@finetrack/contracts/format";

/** Numbers in messages: 4 significant digits, thousands separators in steps, "n/a" for a missing one. */
export function fmt(x: number | null | undefined, digits = 4): string {
  return x === null || x === undefined ? "n/a" : formatNumber(x, { digits, grouping: true });
}

export function pct(x: number, digits = 2): string {
  return `${fmt(100 * x, digits)}%`;
}
