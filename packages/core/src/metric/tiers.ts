import { beatsMax, beatsMin } from "@finetrack/analysis";

/**
 * Min/max buckets over steps. Level L groups steps into buckets of 2^L steps (bucket = step >> L);
 * MetricTier keeps levels MIN_TIER_LEVEL..topTierLevel(first, last) of every curve, so a series
 * read of any length touches about maxPoints rows. Lower levels are computed from raw points on
 * read: they are only needed for curves shorter than ~2^MIN_TIER_LEVEL × maxPoints/2 steps.
 *
 * Ordering: analysis's `beatsMin`/`beatsMax`, the one rule of every min/max downsampling (and of
 * the SQL merge in db's queries/tiers.ts): a bucket that holds a NaN has it as its max, so a
 * divergence shows on long curves (read from tiers) as it does on short ones (read raw).
 */
export const MIN_TIER_LEVEL = 4;
export const MAX_TIER_LEVEL = 30;

export type Point = { step: number; value: number; epoch: number | null; time: number };

export type Bucket = { bucket: number; count: number; min: Point; max: Point };

const minBetter = (a: Point, b: Point) => beatsMin(a.value, a.step, b.value, b.step);
const maxBetter = (a: Point, b: Point) => beatsMax(a.value, a.step, b.value, b.step);

/** Buckets of `level` over points sorted by step. */
export function bucketize(points: Point[], level: number): Bucket[] {
  const out: Bucket[] = [];
  let cur: Bucket | undefined;
  for (const p of points) {
    const b = p.step >>> level;
    if (!cur || cur.bucket !== b) {
      cur = { bucket: b, count: 1, min: p, max: p };
      out.push(cur);
      continue;
    }
    cur.count++;
    if (minBetter(p, cur.min)) cur.min = p;
    if (maxBetter(p, cur.max)) cur.max = p;
  }
  return out;
}

/** Buckets of level L+1 from buckets of level L (sorted), so every level costs its own size. */
export function coarsen(buckets: Bucket[]): Bucket[] {
  const out: Bucket[] = [];
  let cur: Bucket | undefined;
  for (const x of buckets) {
    const b = x.bucket >>> 1;
    if (!cur || cur.bucket !== b) {
      cur = { bucket: b, count: x.count, min: x.min, max: x.max };
      out.push(cur);
      continue;
    }
    cur.count += x.count;
    if (minBetter(x.min, cur.min)) cur.min = x.min;
    if (maxBetter(x.max, cur.max)) cur.max = x.max;
  }
  return out;
}

/** Buckets of levels MIN_TIER_LEVEL..maxLevel for points sorted by step. */
export function tierBuckets(points: Point[], maxLevel = MAX_TIER_LEVEL): { level: number; buckets: Bucket[] }[] {
  const levels: { level: number; buckets: Bucket[] }[] = [];
  if (maxLevel < MIN_TIER_LEVEL) return levels;
  let buckets = bucketize(points, MIN_TIER_LEVEL);
  for (let level = MIN_TIER_LEVEL; level <= maxLevel; level++) {
    levels.push({ level, buckets });
    if (level < maxLevel) buckets = coarsen(buckets);
  }
  return levels;
}

/**
 * The highest level a read can pick for a curve over [firstStep, lastStep], so the highest one
 * stored. A read picks the smallest level L whose buckets over the curve fit its budget (at least
 * one), so it picks L only when level L−1 spans two buckets or more; above the returned level the
 * curve is one bucket at L−1 already. Below MIN_TIER_LEVEL (a curve within 8 steps, a single
 * point): no tier rows at all. As a curve grows, the new levels are filled from the old top one.
 */
export function topTierLevel(firstStep: number, lastStep: number): number {
  if (firstStep >>> (MIN_TIER_LEVEL - 1) === lastStep >>> (MIN_TIER_LEVEL - 1)) return MIN_TIER_LEVEL - 1;
  let level = MIN_TIER_LEVEL;
  while (level < MAX_TIER_LEVEL && firstStep >>> level !== lastStep >>> level) level++;
  return level;
}

/** One bucket holding both (same bucket index). */
export function mergeBuckets(a: Bucket, b: Bucket): Bucket {
  return { bucket: a.bucket, count: a.count + b.count, min: minBetter(b.min, a.min) ? b.min : a.min, max: maxBetter(b.max, a.max) ? b.max : a.max };
}

/**
 * The smallest level whose buckets over [firstStep, lastStep] number at most `maxBuckets`.
 */
export function levelFor(firstStep: number, lastStep: number, maxBuckets: number): number {
  let level = 0;
  while (level < 31 && (lastStep >>> level) - (firstStep >>> level) + 1 > maxBuckets) level++;
  return level;
}

/** Buckets allowed for a curve of at most `maxPoints`: two points each, plus the first and the last. */
export function maxBucketsFor(maxPoints: number): number {
  return Math.max(1, Math.floor((maxPoints - 2) / 2));
}

/**
 * The downsampled curve: the first point, each bucket's min and max in step order, the last point;
 * a step appears once.
 */
export function samplePoints(first: Point, last: Point, buckets: Bucket[]): Point[] {
  const out: Point[] = [first];
  const push = (p: Point) => {
    if (p.step > out[out.length - 1].step) out.push(p);
  };
  for (const b of buckets) {
    const [a, c] = b.min.step <= b.max.step ? [b.min, b.max] : [b.max, b.min];
    push(a);
    push(c);
  }
  push(last);
  return out;
}
