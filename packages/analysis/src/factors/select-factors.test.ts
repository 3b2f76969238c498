import { describe, expect, it } from "vitest";
import sweeps from "../../fixtures/config-sweeps.json";
import { hfSweep, sweepColumns, trainerSweep, unbalancedSweep, type SweepRun } from "../../test/config-sweeps";
import { factorImpact } from "./factor-impact";
import { selectFactors } from "./select-factors";
import type { FactorRun } from "./types";

// The spellings of packages/contracts' CONFIG_ALIASES that these sets use (analysis stays free of
// dependencies; core's tests run the same sets through the real table).
const ALIASES: Record<string, string> = {
  base_model: "baseModel",
  model_name_or_path: "baseModel",
  finetuning_type: "method",
  peft_type: "method",
  dataset_name: "dataset",
  lora_r: "lora_rank",
  per_device_train_batch_size: "batch_size",
  num_train_epochs: "epochs",
};
const canonical = (k: string) => ALIASES[k] ?? k;
const preferred = ["baseModel", "dataset", "method"];

function analyse(runs: SweepRun[], direction: "minimize" | "maximize" = "minimize") {
  const sel = selectFactors(sweepColumns(runs), { canonical, preferred });
  const fr: FactorRun[] = runs.map((r, i) => ({ id: r.name, target: r.target, factors: Object.fromEntries(sel.factors.map((f) => [f, sel.values[f][i]])) }));
  return { sel, res: factorImpact(fr, { direction, bootstrap: 12 }) };
}

describe("selectFactors on real config shapes (fixtures/config-sweeps.json)", () => {
  it("the committed fixture is what the generators make", () => {
    expect(sweeps).toEqual(JSON.parse(JSON.stringify({ trainer: trainerSweep(), hf: hfSweep(), unbalanced: unbalancedSweep() })));
  });

  it("our trainer's sweep: one factor per real factor, model_config.* and base_model_pretraining.* folded into the base model", () => {
    const { sel } = analyse(sweeps.trainer as SweepRun[]);
    expect(sel.factors.sort()).toEqual(["baseModel", "dataset", "method"]);
    // Only the spellings of what is analysed: the constant batch size and epochs say nothing.
    expect(sel.aliases).toEqual([{ factor: "baseModel", keys: ["baseModel", "base_model"] }, { factor: "method", keys: ["method", "finetuning_type"] }]);
    const follow = sel.followers.find((f) => f.factor === "baseModel")!;
    expect(follow.keys.sort()).toEqual(
      [
        "model_config.contextLength", "model_config.layers", "model_config.width", "model_config.heads", "model_config.ffnWidth",
        "base_model_pretraining.steps", "base_model_pretraining.batchSize", "base_model_pretraining.learningRate",
        "base_model_pretraining.finalLoss", "base_model_pretraining.tokensSeen", "base_model_pretraining.wallTimeMs",
      ].sort(),
    );
    // Each architecture key with as many levels as base models is an alias; heads (2, 4, 4) only follows.
    expect(follow.aliased).toContain("model_config.width");
    expect(follow.aliased).not.toContain("model_config.heads");
    const reasons = Object.fromEntries(sel.excluded.map((e) => [e.key, e.reason]));
    expect(reasons).toMatchObject({ seed: "seed", run_name: "bookkeeping", output_dir: "bookkeeping", tags: "bookkeeping", project: "bookkeeping", lora_rank: "constant", "model_config.vocabSize": "constant", "base_model_pretraining.seed": "constant" });
    expect(sel.seed?.key).toBe("seed");
  });

  it("our trainer's sweep: the ranking follows the planted effects, no ANOVA row is NaN, and the seed is the noise floor", () => {
    const { res } = analyse(sweeps.trainer as SweepRun[]);
    expect(res.factors.map((f) => f.name)).toEqual(["baseModel", "dataset", "method"]);
    expect(res.answer.topFamily).toBe("base_model");
    const table = res.anova.multiWay!;
    for (const r of table.rows) for (const v of [r.df, r.F, r.pValue, r.sumSq]) expect(Number.isFinite(v)).toBe(true);
    expect(table.rows.length).toBe(6);
    expect(res.noise!.replicated).toBe(12);
    expect(res.noise!.share).toBeLessThan(0.02);
    expect(res.noise!.text).toMatch(/^seed noise: (<1|\d)% of the variance/);
  });

  it("a Hugging Face-style config set: aliases give base model and dataset, bookkeeping keys are no factors", () => {
    const { sel, res } = analyse(sweeps.hf as SweepRun[], "maximize");
    expect(sel.factors.sort()).toEqual(["baseModel", "dataset", "learning_rate"]);
    const reasons = Object.fromEntries(sel.excluded.map((e) => [e.key, e.reason]));
    for (const k of ["output_dir", "logging_dir", "report_to", "run_name", "push_to_hub", "hub_model_id", "logging_steps", "timestamp"]) expect(reasons[k]).toBe("bookkeeping");
    expect(reasons).toMatchObject({ seed: "seed", per_device_train_batch_size: "constant", lora_r: "constant", peft_type: "constant" });
    expect(res.info.find((f) => f.name === "baseModel")!.family).toBe("base_model");
    expect(res.info.find((f) => f.name === "dataset")!.family).toBe("dataset");
    expect(res.answer.topFamily).toBe("base_model");
    expect(res.answer.text).toMatch(/^Base model matters most/);
  });

  it("an unbalanced sweep: confounding of base model and dataset, with what changes and the run to add", () => {
    const { res } = analyse(sweeps.unbalanced as SweepRun[]);
    const w = res.confounding.find((c) => c.factors.includes("baseModel") && c.factors.includes("dataset"))!;
    expect(w.cramersV).toBeGreaterThan(0.5);
    expect(w.suggestions[0].text).toBe("run base model `tiny-l` on `arith-small@v1` (0 runs so far)");
    const base = w.effects.find((e) => e.factor === "baseModel")!;
    // Alone the base model seems to matter (it rides on the dataset); adjusted, little is left.
    expect(base.alone).toBeGreaterThan(0.3);
    expect(base.adjusted).toBeLessThan(0.1);
    expect(w.changes).toMatch(/^base model explains \d+(\.\d+)?% of the variance alone but \d+(\.\d+)?% once dataset is accounted for$/);
  });

  it("a key that follows a factor only by accident of few levels is kept when the determiner has one value per run", () => {
    const n = 8;
    const cols = [
      { key: "lr", values: Array.from({ length: n }, (_, i) => 1e-4 * (i + 1)) },
      { key: "rank", values: Array.from({ length: n }, (_, i) => [4, 8][i % 2]) },
    ];
    expect(selectFactors(cols).factors.sort()).toEqual(["lr", "rank"]);
    expect(() => selectFactors([{ key: "a", values: [1, 2] }, { key: "b", values: [1] }])).toThrow(/columns\[1\]\.values: expected 2 values/);
  });
});
