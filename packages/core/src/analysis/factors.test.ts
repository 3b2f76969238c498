import { hfSweep, trainerSweep, unbalancedSweep, type SweepRun } from "@finetrack/analysis/testing";
import type { Db } from "@finetrack/db";
import { createTestDb } from "@finetrack/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { logMetrics } from "../metric/log-metrics";
import { createProject } from "../project/create-project";
import { createRun } from "../run/create-run";
import { finishRun } from "../run/finish-run";
import { buildAblationMatrix } from "./build-ablation-matrix";
import { compareConfigurations } from "./compare-configurations";
import { computeFactorImpact } from "./compute-factor-impact";

let db: Db;

async function seed(project: string, runs: SweepRun[], metric = "val/loss") {
  await createProject(db, { slug: project, name: project });
  for (const r of runs) {
    const id = `${project}-${r.name}`;
    await createRun(db, { project, id, name: r.name, baseModel: r.baseModel, method: r.method, seed: r.seed, dataset: r.dataset, group: "sweep", config: r.config as Record<string, unknown> });
    await logMetrics(db, { runId: id, points: [{ key: metric, step: 0, value: r.target + 1 }, { key: metric, step: 1, value: r.target }] });
    await finishRun(db, { id });
  }
}

beforeAll(async () => {
  db = await createTestDb();
  await seed("trainer", trainerSweep());
  await seed("hf", hfSweep(), "eval/accuracy");
  await seed("unbalanced", unbalancedSweep());
  // A compression child of one sweep run: derived, so out of the analysis unless asked for.
  await createRun(db, { project: "trainer", id: "trainer-child", name: "int8 child", baseModel: "tiny-s", method: "lora", parentRunId: "trainer-lora-tiny-s-arith-small-s1", config: { technique: "int8", method_config: { bits: 8 } } });
  await logMetrics(db, { runId: "trainer-child", points: [{ key: "val/loss", step: 0, value: 9 }] });
});
afterAll(() => db?.close());

const loss = { target: "metrics.val/loss.min", direction: "minimize" } as const;

describe("computeFactorImpact on real config shapes", () => {
  it("our trainer's sweep: one row per real factor, model keys folded into the base model, seed as the noise floor", async () => {
    const r = await computeFactorImpact(db, { project: "trainer", ...loss });
    expect(r.factors.sort()).toEqual(["baseModel", "dataset", "method"]);
    expect(r.result!.factors.map((f) => f.name)).toEqual(["baseModel", "dataset", "method"]);
    expect(r.selection!.followers.find((f) => f.factor === "baseModel")!.keys).toHaveLength(11);
    expect(r.selection!.aliases).toEqual(expect.arrayContaining([{ factor: "baseModel", keys: ["baseModel", "base_model"] }, { factor: "method", keys: ["method", "finetuning_type"] }]));
    expect(r.selection!.seedKey).toBe("seed");
    expect(r.result!.anova.multiWay!.rows.every((row) => Number.isFinite(row.F) && Number.isFinite(row.pValue))).toBe(true);
    expect(r.result!.answer.topFamily).toBe("base_model");
    expect(r.result!.noise!.text).toMatch(/^seed noise: (<1|\d)% of the variance \(12 configurations with about 2 seeds each/);
    expect(r.scope).toEqual({ runs: 24, derivedExcluded: 1, groups: [{ name: "sweep", runs: 24 }] });
  });

  it("takes derived runs in when asked, and then method_config keys are still no factor of the sweep", async () => {
    const r = await computeFactorImpact(db, { project: "trainer", ...loss, includeDerived: true });
    expect(r.scope.derivedExcluded).toBe(0);
    expect(r.runs).toHaveLength(25);
  });

  it("a Hugging Face-style config set: base model and dataset from their HF keys, bookkeeping left out", async () => {
    const r = await computeFactorImpact(db, { project: "hf", target: "metrics.eval/accuracy.max", direction: "maximize" });
    expect(r.factors.sort()).toEqual(["baseModel", "dataset", "learning_rate"]);
    const reasons = Object.fromEntries(r.selection!.excluded.map((e) => [e.key, e.reason]));
    expect(reasons).toMatchObject({ output_dir: "bookkeeping", logging_dir: "bookkeeping", report_to: "bookkeeping", hub_model_id: "bookkeeping", seed: "seed" });
    expect(r.result!.answer.text).toMatch(/^Base model matters most/);
  });

  it("takes a project's own spelling of a factor on top of the shared table", async () => {
    await createProject(db, { slug: "custom", name: "custom" });
    for (let i = 0; i < 8; i++) {
      await createRun(db, { project: "custom", id: `c-${i}`, name: `c-${i}`, seed: i, config: { backbone: ["small", "large"][i % 2], lr: 0.001 } });
      await logMetrics(db, { runId: `c-${i}`, points: [{ key: "val/loss", step: 0, value: 1 + (i % 2) + i * 0.001 }] });
    }
    const plain = await computeFactorImpact(db, { project: "custom", ...loss });
    expect(plain.factors).toEqual(["backbone"]);
    const extended = await computeFactorImpact(db, { project: "custom", ...loss, aliases: { baseModel: ["backbone"] } });
    expect(extended.factors).toEqual(["baseModel"]);
    expect(extended.result!.answer.topFamily).toBe("base_model");
  });

  it("an unbalanced sweep: a confounding warning with the run that breaks it", async () => {
    const r = await computeFactorImpact(db, { project: "unbalanced", ...loss });
    const w = r.result!.confounding[0];
    expect(w.factors.sort()).toEqual(["baseModel", "dataset"]);
    expect(w.suggestions[0].text).toBe("run base model `tiny-l` on `arith-small@v1` (0 runs so far)");
  });

  it("answers a target that names an object property (config.constructor) with a reason, and a factor like it with a 400", async () => {
    const r = await computeFactorImpact(db, { project: "trainer", target: "config.constructor", direction: "minimize" });
    expect(r.result).toBeNull();
    expect(r.reason).toMatch(/Only 0 of 24 runs have config\.constructor/);
    await expect(computeFactorImpact(db, { project: "trainer", ...loss, factors: ["constructor"] })).rejects.toMatchObject({ code: "BAD_REQUEST", field: "factors" });
  });
});

describe("seed-aware comparison", () => {
  it("ablation cells carry their seeds, and every cell is tested against a chosen baseline", async () => {
    const m = await buildAblationMatrix(db, { project: "trainer", ...loss, rows: "baseModel", columns: "method", split: "dataset", baseline: { row: "tiny-l", column: "full" } });
    const cell = m.cells.find((c) => c.row === "tiny-l" && c.column === "lora" && c.split === "arith-small@v1")!;
    expect(cell.seeds).toBe(2);
    expect(cell.mixes).toEqual([]);
    expect(cell.versusBaseline!.text).toMatch(/^tiny-l × full beats tiny-l × lora by 0\.0\d+ ± [\d.]+ \(p (=|<) [\d.]+, 2 seeds each\)\.$|not distinguishable from seed noise with 2 seeds each/);
    expect(m.cells.find((c) => c.row === "tiny-l" && c.column === "full")!.versusBaseline).toBeNull();
    const far = m.cells.find((c) => c.row === "tiny-s" && c.column === "lora" && c.split === "arith-small@v1")!;
    expect(far.versusBaseline!.winner).toBe("b");
    const noSplit = await buildAblationMatrix(db, { project: "trainer", ...loss, rows: "baseModel", columns: "method" });
    expect(noSplit.cells[0].mixes).toEqual(["dataset"]);
    expect(noSplit.scope.derivedExcluded).toBe(1);
  });

  it("compares two picked runs as their configurations, each with all its seeds", async () => {
    const c = await compareConfigurations(db, { project: "trainer", runIds: ["trainer-full-tiny-s-arith-large-s1", "trainer-lora-tiny-l-arith-large-s2"], ...loss });
    expect(c.configurations.map((x) => x.runIds.length)).toEqual([2, 2]);
    expect(c.configurations[0].label).toBe("baseModel tiny-s · method full");
    expect(c.comparisons).toHaveLength(1);
    expect(c.comparisons[0].winner).toBe("a");
    expect(c.text).toMatch(/^baseModel tiny-l · method lora beats baseModel tiny-s · method full by 0\.\d+ ± [\d.]+ \(p (=|<) [\d.]+, 2 seeds each\)\.$/);
    const same = await compareConfigurations(db, { project: "trainer", runIds: ["trainer-full-tiny-s-arith-large-s1", "trainer-full-tiny-s-arith-large-s2"], ...loss });
    expect(same.text).toMatch(/differ only in seed/);
  });
});
