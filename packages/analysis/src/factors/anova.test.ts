import { describe, expect, it } from "vitest";
import fx from "../../fixtures/anova.json";
import { anova } from "./anova";
import type { FactorRun } from "./types";

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-300, Math.abs(b));

describe("anova against scipy f_oneway and statsmodels anova_lm(typ=2)", () => {
  it("one-way on unbalanced groups", () => {
    const runs: FactorRun[] = fx.oneWay.groups.flatMap((g, gi) => g.map((y, i) => ({ id: `${gi}-${i}`, target: y, factors: { group: `g${gi}` } })));
    const r = anova(runs).oneWay[0];
    expect(rel(r.F, fx.oneWay.F)).toBeLessThan(1e-10);
    expect(rel(r.pValue, fx.oneWay.p)).toBeLessThan(1e-8);
    expect(r.df).toBe(3);
    expect(r.residualDf).toBe(29);
    expect(r.levels.map((l) => l.n)).toEqual([7, 12, 5, 9]);
  });

  it.each(fx.tables)("type II table: $name", (table) => {
    const runs: FactorRun[] = table.rows.map((row, i) => {
      const { y, ...factors } = row as Record<string, string | number>;
      return { id: String(i), target: y as number, factors };
    });
    const res = anova(runs);
    const mw = res.multiWay!;
    expect(mw.ssType).toBe(2);
    expect(rel(mw.residual.sumSq, table.residual.sumSq)).toBeLessThan(1e-9);
    expect(mw.residual.df).toBe(table.residual.df);
    for (const ref of table.terms) {
      const row = mw.rows.find((r) => r.term === ref.term || r.factors.slice().reverse().join(":") === ref.term)!;
      expect(row, ref.term).toBeDefined();
      expect(row.df).toBe(ref.df);
      expect(rel(row.sumSq, ref.sumSq)).toBeLessThan(1e-8);
      expect(rel(row.F, ref.F)).toBeLessThan(1e-8);
      expect(rel(row.pValue, ref.p)).toBeLessThan(1e-7);
      expect(row.etaSq).toBeCloseTo(ref.sumSq / table.totalSumSq, 10);
      expect(row.partialEtaSq).toBeCloseTo(ref.sumSq / (ref.sumSq + table.residual.sumSq), 10);
    }
  });

  it("treats few-valued numeric factors as levels, leaves out constant factors and drops interactions without residual df", () => {
    const runs: FactorRun[] = [8, 16, 32, 8, 16, 32].map((r, i) => ({ id: String(i), target: r / 10 + (i % 2), factors: { lora_rank: r, m: i % 2 ? "a" : "b", same: 1 } }));
    const res = anova(runs);
    expect(res.factors).toEqual(["lora_rank", "m"]);
    expect(res.notes.join(" ")).toMatch(/same has a single level/);
    expect(res.notes.join(" ")).toMatch(/main effects only/);
    expect(res.multiWay!.rows.map((r) => r.term)).toEqual(["lora_rank", "m"]);
  });

  it("rejects unknown factors by name", () => {
    expect(() => anova([{ id: "a", target: 1, factors: { x: "a" } }], { factors: ["nope"] })).toThrow(/factors: expected names of factors/);
  });
});
