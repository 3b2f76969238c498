import { describe, expect, it } from "vitest";
import fx from "../../fixtures/welch.json";
import { compareSeeds, seedsPerArm, welchTTest } from "./compare-seeds";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("welchTTest against scipy.stats.ttest_ind(equal_var=False)", () => {
  it.each(fx.welch)("$name", (c) => {
    const r = welchTTest(c.a, c.b);
    expect(rel(r.t, c.t)).toBeLessThan(1e-10);
    expect(rel(r.df, c.df)).toBeLessThan(1e-10);
    expect(rel(r.pValue, c.p)).toBeLessThan(1e-8);
  });
});

describe("compareSeeds", () => {
  it("says which configuration wins, by how much and how sure, when the gap stands out of seed noise", () => {
    const c = compareSeeds({ label: "full", values: [0.91, 0.92, 0.9] }, { label: "lora", values: [1.0, 0.99, 1.01] }, { direction: "minimize" });
    expect(c.winner).toBe("a");
    expect(c.difference).toBeCloseTo(-0.09, 12);
    expect(c.ci95[0]).toBeLessThanOrEqual(c.difference);
    expect(c.ci95[1]).toBeGreaterThanOrEqual(c.difference);
    expect(c.welch.pValue).toBeLessThan(0.01);
    expect(c.text).toMatch(/^full beats lora by 0\.09 ± 0\.0\d+ \(p = 0\.00\d+|p < 0\.001, 3 seeds each\)\.$/);
    // Maximizing turns the winner around.
    expect(compareSeeds({ label: "full", values: [0.91, 0.92, 0.9] }, { label: "lora", values: [1.0, 0.99, 1.01] }, { direction: "maximize" }).winner).toBe("b");
  });

  it("says when two configurations cannot be told apart and how many seeds would", () => {
    const c = compareSeeds({ label: "A", values: [1.0, 1.05] }, { label: "B", values: [1.03, 1.07] }, { direction: "minimize" });
    expect(c.winner).toBeNull();
    expect(c.seedsNeeded).toBe(seedsPerArm(c.difference, Math.sqrt((0.05 ** 2 / 2 + 0.04 ** 2 / 2) / 2), 0.05));
    expect(c.text).toMatch(new RegExp(`^A vs B: not distinguishable from seed noise with 2 seeds each .*; about ${c.seedsNeeded} seeds per arm would tell a 0\\.03 difference apart\\.$`));
    expect(compareSeeds({ label: "A", values: [1] }, { label: "B", values: [2, 3] }, { direction: "minimize" }).text).toMatch(/A has a single seed/);
  });

  it("computes seeds per arm as a power calculation (n grows with (σ/δ)²) and validates input", () => {
    const n1 = seedsPerArm(0.05, 0.05)!;
    const n2 = seedsPerArm(0.025, 0.05)!;
    expect(n1).toBeGreaterThanOrEqual(17);
    expect(n1).toBeLessThanOrEqual(18);
    expect(n2 / n1).toBeGreaterThan(3.5);
    expect(seedsPerArm(0, 1)).toBeNull();
    expect(() => compareSeeds({ label: "A", values: [] }, { label: "B", values: [1] }, { direction: "minimize" })).toThrow(/a\.values: expected a non-empty array/);
    expect(() => compareSeeds({ label: "A", values: [1, 2] }, { label: "B", values: [1, NaN] }, { direction: "minimize" })).toThrow(/b\.values/);
  });
});
