import { describe, expect, it } from "vitest";
import dist from "../../fixtures/distributions.json";
import corr from "../../fixtures/correlations.json";
import { pearson, spearman } from "./correlation";
import { leastSquaresRss } from "./least-squares";
import { fSurvival, normalCdf, studentTCdf, studentTQuantile } from "./special-functions";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("distribution functions against scipy", () => {
  it.each(dist.t)("Student t with df=$df", ({ df, q975, cdf }) => {
    expect(rel(studentTQuantile(0.975, df), q975)).toBeLessThan(1e-9);
    for (const [x, v] of Object.entries(cdf)) expect(rel(studentTCdf(Number(x), df), v)).toBeLessThan(1e-9);
  });
  it("F survival and normal CDF", () => {
    for (const { f, df1, df2, sf } of dist.f) expect(rel(fSurvival(f, df1, df2), sf)).toBeLessThan(1e-9);
    for (const { z, cdf } of dist.normal) expect(rel(normalCdf(z), cdf)).toBeLessThan(1e-9);
  });
});

describe("correlations against scipy.stats.pearsonr / spearmanr", () => {
  it.each(corr.cases)("$name", ({ x, y, pearson: p, spearman: s }) => {
    const a = pearson(x, y);
    const b = spearman(x, y);
    expect(a.r).toBeCloseTo(p.r, 12);
    expect(b.r).toBeCloseTo(s.r, 12);
    expect(rel(a.pValue, p.p)).toBeLessThan(1e-8);
    expect(rel(b.pValue, s.p)).toBeLessThan(1e-8);
  });
  it("is NaN for constant input", () => {
    expect(pearson([1, 1, 1], [1, 2, 3]).r).toBeNaN();
  });
});

describe("leastSquaresRss", () => {
  it("fits an exact line and skips a duplicated column", () => {
    const x = Float64Array.from([0, 1, 2, 3]);
    const one = new Float64Array(4).fill(1);
    const y = Float64Array.from([1, 3, 5, 7]);
    const fit = leastSquaresRss([one, x, Float64Array.from(x, (v) => 2 * v)], y);
    expect(fit.rank).toBe(2);
    expect(fit.rss).toBeLessThan(1e-20);
  });
});
