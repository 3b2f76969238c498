import { randomInt, type Rng } from "../math/rng";

/** A swept key: a list of values (categorical), or a numeric range. */
export type SpaceParam =
  | { values: readonly unknown[] }
  | { min: number; max: number; distribution?: "uniform" | "log_uniform" | "int_uniform" };
export type SearchSpace = Record<string, SpaceParam>;
export type Assignment = Record<string, unknown>;

export const isRange = (p: SpaceParam): p is Extract<SpaceParam, { min: number }> => "min" in p;

/** A range in the space the sampler works in: log for log_uniform. */
export const toUnit = (p: Extract<SpaceParam, { min: number }>, x: number) => (p.distribution === "log_uniform" ? Math.log(x) : x);
export const fromUnit = (p: Extract<SpaceParam, { min: number }>, u: number) => {
  const x = p.distribution === "log_uniform" ? Math.exp(u) : u;
  const clamped = Math.min(p.max, Math.max(p.min, x));
  return p.distribution === "int_uniform" ? Math.min(Math.floor(p.max), Math.max(Math.ceil(p.min), Math.round(clamped))) : clamped;
};
export const bounds = (p: Extract<SpaceParam, { min: number }>): [number, number] =>
  p.distribution === "int_uniform" ? [Math.ceil(p.min) - 0.5, Math.floor(p.max) + 0.5] : [toUnit(p, p.min), toUnit(p, p.max)];

/** One uniform draw of every key (log-uniform and integer ranges as named). */
export function sampleSpace(space: SearchSpace, rng: Rng): Assignment {
  const out: Assignment = {};
  for (const [key, p] of Object.entries(space)) {
    if (!isRange(p)) out[key] = p.values[randomInt(rng, p.values.length)];
    else {
      const [lo, hi] = bounds(p);
      out[key] = fromUnit(p, lo + rng() * (hi - lo));
    }
  }
  return out;
}

