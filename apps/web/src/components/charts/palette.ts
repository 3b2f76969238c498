const BASE = ["#2f6fde", "#d64541", "#1f8a4c", "#b7791f", "#8e44ad", "#16a2b8", "#e36209", "#5d6d7e"];

/** Distinct colors for any number of series: a fixed head, then golden-angle hues. */
export function seriesColor(i: number): string {
  if (i < BASE.length) return BASE[i];
  const hue = (i * 137.508) % 360;
  return `hsl(${hue.toFixed(1)} 62% 48%)`;
}
