/**
 * The one ordering every min/max downsampling uses (analysis's buckets, core's MetricTier, the SQL
 * merge in db's queries/tiers.ts): PostgreSQL's float8 order, where NaN sorts above +Infinity. So a
 * bucket's max is its NaN if it holds one (a divergence stays visible on a curve of any length),
 * ±Infinity win the max/min as the largest/smallest numbers, its min is the smallest number (NaN
 * only when every point is NaN), and ties go to the smaller step.
 */
export function beatsMin(value: number, step: number, minValue: number, minStep: number): boolean {
  const nan = Number.isNaN(value);
  const minNaN = Number.isNaN(minValue);
  if (nan !== minNaN) return minNaN;
  if (!nan && value !== minValue) return value < minValue;
  return step < minStep;
}

/** See `beatsMin`: NaN beats any number for the max. */
export function beatsMax(value: number, step: number, maxValue: number, maxStep: number): boolean {
  const nan = Number.isNaN(value);
  const maxNaN = Number.isNaN(maxValue);
  if (nan !== maxNaN) return nan;
  if (!nan && value !== maxValue) return value > maxValue;
  return step < maxStep;
}
