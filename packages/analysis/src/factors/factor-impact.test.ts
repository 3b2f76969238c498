import { describe, expect, it } from "vitest";
import dist from "../../fixtures/distributions.json";
import { createRng } from "../math/rng";
import { factorImpact } from "./factor-impact";
import { groupStats } from "./group-stats";
import type { FactorRun } from "./types";

/** Runs where one family carries the effect: base model (default), dataset or a hyperparameter. */
function sweep(n: number, driver: "base_model" | "dataset" | "learning_rate", seed = 1): FactorRun[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    const base_model = ["tiny", "small", "medium"][i % 3];
    const dataset = ["alpaca", "dolly"][Math.floor(i / 3) % 2];
    const learning_rate = [1e-5, 1e-4, 1e-3][Math.floor(rng() * 3)];
    const effect =
      driver === "base_model" ? { tiny: 1, small: 0.5, medium: 0 }[base_model]! : driver === "dataset" ? (dataset === "dolly" ? 1 : 0) : Math.abs(Math.log10(learning_rate) + 4);
    return { id: `r${i}`, target: 1 + effect + 0.05 * rng(), factors: { base_model, dataset, learning_rate, lora_rank: i % 2 ? 8 : null, seed: i % 5 } };
  });
}

describe("factorImpact: the family answer", () => {
  it.each(["base_model", "dataset", "learning_rate"] as const)("finds the family that drives the target (%s)", (driver) => {
    const res = factorImpact(sweep(60, driver), { direction: "minimize", bootstrap: 12 });
    const expected = driver === "learning_rate" ? "hyperparameters" : driver;
    expect(res.answer.topFamily).toBe(expected);
    const top = res.families.find((f) => f.family === expected)!;
    expect(top.share).toBeGreaterThan(0.6);
    expect(top.ci95[0]).toBeLessThanOrEqual(top.share);
    expect(top.ci95[1]).toBeGreaterThanOrEqual(top.share * 0.9);
    expect(top.probabilityTop).toBeGreaterThan(0.8);
    expect(res.answer.text).toMatch(/matters most for these runs: \d+% of the explained variation \(95% CI \d+%–\d+%\)/);
    expect(res.factors[0].family).toBe(expected);
  });

  it("returns every method's output and is deterministic for a seed", () => {
    const runs = sweep(30, "base_model");
    const a = factorImpact(runs, { direction: "maximize", bootstrap: 5, seed: 9 });
    expect(factorImpact(runs, { direction: "maximize", bootstrap: 5, seed: 9 })).toEqual(a);
    expect(a.correlations.length).toBeGreaterThan(0);
    expect(a.forest.factors).toHaveLength(5);
    expect(a.fanova).toHaveLength(5);
    expect(a.pedAnova.factors).toHaveLength(5);
    expect(a.anova.multiWay).not.toBeNull();
    expect(a.info.find((f) => f.name === "learning_rate")!.kind).toBe("log");
    expect(a.info.find((f) => f.name === "lora_rank")!.missing).toBe(15);
  });

  it("adds caveats: small N, a family that never varied, no signal", () => {
    const few = sweep(9, "base_model").map((r) => ({ ...r, factors: { ...r.factors, dataset: "alpaca" } }));
    const res = factorImpact(few, { direction: "minimize", bootstrap: 5 });
    expect(res.answer.caveats.join(" | ")).toMatch(/only 9 runs: treat this as a hint/);
    expect(res.answer.caveats.join(" | ")).toMatch(/dataset did not vary/);
    expect(res.families.find((f) => f.family === "dataset")!.varies).toBe(false);
    expect(res.answer.confidence).not.toBe("high");
    const rng = createRng(3);
    const noise = sweep(40, "base_model").map((r) => ({ ...r, target: rng() }));
    const n = factorImpact(noise, { direction: "minimize", bootstrap: 8 });
    expect(n.answer.caveats.join(" | ")).toMatch(/explain little of the target|too close to call/);
    expect(factorImpact(sweep(3, "base_model"), { direction: "minimize" }).answer).toMatchObject({ topFamily: null, confidence: "none" });
  });

  it("uses the family mapping option and validates input", () => {
    const runs = sweep(30, "learning_rate");
    const res = factorImpact(runs, { direction: "minimize", bootstrap: 4, families: { learning_rate: "dataset" } });
    expect(res.answer.topFamily).toBe("dataset");
    expect(() => factorImpact(runs, { direction: "up" as never })).toThrow(/direction: expected "minimize" or "maximize"/);
    expect(() => factorImpact(runs, { direction: "minimize", families: { seed: "model" as never } })).toThrow(/families\.seed/);
    expect(() => factorImpact(runs, { direction: "minimize", kinds: { base_model: "numeric" } })).toThrow(/kinds\.base_model/);
  });
});

describe("groupStats", () => {
  it("matches scipy's mean, std, SEM and t interval", () => {
    const runs: FactorRun[] = dist.groups.flatMap((g, gi) => g.values.map((v, i) => ({ id: `${gi}-${i}`, target: v, factors: { size: `n${g.values.length}` } })));
    const res = groupStats(runs, ["size"]);
    for (const g of dist.groups) {
      const s = res.perLevel[0].groups.find((x) => x.key.size === `n${g.values.length}`)!.stats;
      expect(s.n).toBe(g.values.length);
      expect(s.mean).toBeCloseTo(g.mean, 12);
      expect(s.std).toBeCloseTo(g.std, 12);
      expect(s.sem).toBeCloseTo(g.sem, 12);
      expect(s.ci95[0]).toBeCloseTo(g.ci95[0], 9);
      expect(s.ci95[1]).toBeCloseTo(g.ci95[1], 9);
    }
  });

  it("groups an ablation grid per level and per combination, with missing levels and single runs", () => {
    const runs: FactorRun[] = [
      { id: "a", target: 1, factors: { base_model: "tiny", method: "lora", seed: 1 } },
      { id: "b", target: 3, factors: { base_model: "tiny", method: "lora", seed: 2 } },
      { id: "c", target: 5, factors: { base_model: "tiny", method: "full", seed: 1 } },
      { id: "d", target: 7, factors: { base_model: "small", method: null, seed: 1 } },
      { id: "e", target: null, factors: { base_model: "small", method: "full", seed: 1 } },
    ];
    const res = groupStats(runs, ["base_model", "method"]);
    expect(res.skipped).toEqual([{ id: "e", reason: "target is null" }]);
    expect(res.perLevel[0].groups.map((g) => [g.key.base_model, g.stats.n, g.stats.mean])).toEqual([["small", 1, 7], ["tiny", 3, 3]]);
    const cell = res.perCombination.find((g) => g.key.base_model === "tiny" && g.key.method === "lora")!;
    expect(cell.runIds).toEqual(["a", "b"]);
    expect(cell.stats.std).toBeCloseTo(Math.SQRT2, 12);
    const single = res.perCombination.find((g) => g.key.method === "(missing)")!;
    expect(single.stats.n).toBe(1);
    expect(single.stats.std).toBeNaN();
    expect(res.overall.n).toBe(4);
    expect(() => groupStats(runs, "method" as never)).toThrow(/by: expected an array of factor names/);
  });
});

/** 24 runs, base model × method × dataset × 2 seeds; learning rate drawn at random with no effect. */
function ablation(seed: number): FactorRun[] {
  const rng = createRng(seed);
  const runs: FactorRun[] = [];
  for (const b of ["tiny-s", "tiny-m", "tiny-l"])
    for (const m of ["lora", "full"])
      for (const d of ["small", "large"])
        for (let s = 0; s < 2; s++) {
          const learning_rate = [1e-4, 3e-4, 1e-3][Math.floor(rng() * 3)];
          const target = { "tiny-s": 1.5, "tiny-m": 1.0, "tiny-l": 0.6 }[b]! + (m === "full" ? 0.08 : 0) + (d === "small" ? 0.3 : 0) + 0.03 * (rng() - 0.5) * 2;
          runs.push({ id: `${b}-${m}-${d}-${s}`, target, factors: { baseModel: b, method: m, dataset: d, learning_rate } });
        }
  return runs;
}

describe("factorImpact: numbers you can trust", () => {
  it.each([1, 2, 3, 4, 5, 6])("never ranks the no-effect learning rate above the small method effect (sweep %i)", (seed) => {
    const res = factorImpact(ablation(seed), { direction: "minimize", bootstrap: 10 });
    const rank = (name: string) => res.factors.findIndex((f) => f.name === name);
    expect(rank("learning_rate")).toBe(3);
    expect(rank("method")).toBeLessThan(rank("learning_rate"));
    expect(res.factors.find((f) => f.name === "learning_rate")!.effect).toBe(false);
    // 24 runs give PED-ANOVA 3 top runs: it is left out and says so; its own numbers stay beside.
    expect(res.methods.pedAnova).toBe(0);
    expect(res.methods.notes.join(" ")).toMatch(/PED-ANOVA has only 3 top-quantile runs: left out/);
    expect(res.factors.every((f) => Number.isFinite(f.pedAnova))).toBe(true);
  });

  it("weights the forest down when its out-of-bag fit is poor", () => {
    const rng = createRng(5);
    const noise = ablation(1).map((r) => ({ ...r, target: rng() }));
    const res = factorImpact(noise, { direction: "minimize", bootstrap: 4 });
    expect(res.forest.oobR2).toBeLessThan(0.1);
    expect(res.methods.fanova).toBe(0);
    expect(res.methods.notes.join(" ")).toMatch(/forest fits poorly \(out-of-bag R² -?\d\.\d\d\): fANOVA and permutation left out/);
  });

  it.each([1, 2, 3])("puts every family's share inside its own 95%% interval (sweep %i)", (seed) => {
    for (const runs of [ablation(seed), sweep(40, "dataset", seed), sweep(25, "learning_rate", seed)]) {
      const res = factorImpact(runs, { direction: "minimize", bootstrap: 20, seed });
      for (const f of res.families) {
        expect(f.ci95[0]).toBeLessThanOrEqual(f.share);
        expect(f.share).toBeLessThanOrEqual(f.ci95[1]);
      }
    }
  });

  it("explains aliased ANOVA terms instead of printing df 0 and NaN", () => {
    const runs = ablation(2).map((r) => ({ ...r, factors: { ...r.factors, finetuning_type: r.factors.method } }));
    const res = factorImpact(runs, { direction: "minimize", bootstrap: 4 });
    const table = res.anova.multiWay!;
    expect(table.rows.every((r) => r.df > 0 && Number.isFinite(r.F) && Number.isFinite(r.pValue))).toBe(true);
    expect(table.aliased.find((a) => a.term === "method" || a.term === "finetuning_type")!.reason).toMatch(/(finetuning_type is aliased with method|method is aliased with finetuning_type)/);
  });
});
