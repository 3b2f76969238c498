// Deterministic run sets with real config shapes, for the factor-analysis tests in every layer
// (analysis fixtures, core, the dashboard e2e): our trainer's ablation sweep, a Hugging Face-style
// config set and an unbalanced (confounded) sweep. Planted effects are documented per set.
import { createRng } from "../src/math/rng";
import type { CandidateColumn } from "../src/factors/select-factors";
import type { FactorValue } from "../src/factors/types";

export interface SweepRun {
  name: string;
  /** First-class run fields as the trainer sets them (absent in the HF-style set). */
  baseModel?: string;
  method?: string;
  dataset?: { name: string; version: string };
  seed?: number;
  config: Record<string, unknown>;
  /** The planted target (final validation loss, or eval accuracy for the HF set). */
  target: number;
}

const MODELS = {
  "tiny-s": { layers: 2, width: 32, heads: 2, contextLength: 64, steps: 300, batchSize: 16, learningRate: 0.003, finalLoss: 2.91, effect: 0.5 },
  "tiny-m": { layers: 4, width: 64, heads: 4, contextLength: 64, steps: 200, batchSize: 12, learningRate: 0.002, finalLoss: 2.52, effect: 0.25 },
  "tiny-l": { layers: 6, width: 96, heads: 4, contextLength: 96, steps: 150, batchSize: 8, learningRate: 0.0015, finalLoss: 2.2, effect: 0 },
} as const;
type ModelName = keyof typeof MODELS;

/** What packages/trainer logs as a run's config (run-training.ts): the train config, model_config, base_model_pretraining. */
function trainerConfig(base: ModelName, method: string, dataset: string, seed: number): Record<string, unknown> {
  const m = MODELS[base];
  return {
    project: "default",
    run_name: `${method}-${base}-${dataset}-s${seed}`,
    tags: ["sweep"],
    seed,
    base_model: base,
    dataset,
    template: "compact",
    val_size: 0.1,
    max_samples: 400,
    finetuning_type: method,
    lora_rank: 8,
    lora_alpha: 16,
    lora_dropout: 0,
    lora_target: ["q", "v"],
    learning_rate: 0.003,
    optim: "adam",
    per_device_train_batch_size: 8,
    num_train_epochs: 4,
    output_dir: `.finetrack/checkpoints/${method}-${base}-${dataset}-s${seed}`,
    model_config: { family: "transformer", vocabSize: 259, contextLength: m.contextLength, layers: m.layers, width: m.width, heads: m.heads, ffnWidth: 4 * m.width },
    base_model_pretraining: {
      corpus: "synthetic-en",
      corpusChars: 400_000,
      steps: m.steps,
      batchSize: m.batchSize,
      learningRate: m.learningRate,
      finalLoss: m.finalLoss,
      tokensSeen: m.steps * m.batchSize * m.contextLength,
      seed: 1234,
      wallTimeMs: m.steps * 211,
      backend: "wasm",
    },
  };
}

/**
 * 24 runs: base model (3) × method (2) × dataset (2) × 2 seeds. Planted: base model moves the
 * loss by 0.5, dataset by 0.3, method by 0.08 (full below lora); seed noise sd ≈ 0.01.
 */
export function trainerSweep(): SweepRun[] {
  const rng = createRng(24);
  const runs: SweepRun[] = [];
  for (const base of Object.keys(MODELS) as ModelName[])
    for (const method of ["lora", "full"])
      for (const dataset of ["arith-small", "arith-large"])
        for (const seed of [1, 2]) {
          const target = 1 + MODELS[base].effect + (dataset === "arith-small" ? 0.3 : 0) + (method === "lora" ? 0.08 : 0) + 0.02 * (rng() - 0.5);
          runs.push({ name: `${method}-${base}-${dataset}-s${seed}`, baseModel: base, method, dataset: { name: dataset, version: "v1" }, seed, config: trainerConfig(base, method, dataset, seed), target });
        }
  return runs;
}

/**
 * 16 runs logged with Hugging Face `TrainingArguments`-style keys only (no first-class fields):
 * model_name_or_path (2) × dataset_name (2) × learning_rate (2) × seed (2). Target: eval accuracy
 * (maximize); planted: model +0.10, dataset +0.05, learning rate +0.02; noise sd ≈ 0.003.
 */
export function hfSweep(): SweepRun[] {
  const rng = createRng(16);
  const runs: SweepRun[] = [];
  let i = 0;
  for (const model of ["distilgpt2", "gpt2"])
    for (const data of ["imdb", "sst2"])
      for (const lr of [2e-5, 5e-5])
        for (const seed of [1, 2]) {
          const target = 0.8 + (model === "gpt2" ? 0.1 : 0) + (data === "sst2" ? 0.05 : 0) + (lr === 5e-5 ? 0.02 : 0) + 0.006 * (rng() - 0.5);
          i++;
          runs.push({
            name: `hf-${model}-${data}-${lr}-s${seed}`,
            config: {
              model_name_or_path: model,
              dataset_name: data,
              learning_rate: lr,
              per_device_train_batch_size: 16,
              num_train_epochs: 3,
              lora_r: 8,
              peft_type: "LORA",
              seed,
              output_dir: `out/run-${i}`,
              logging_dir: `out/run-${i}/logs`,
              report_to: "none",
              run_name: `run-${i}`,
              push_to_hub: false,
              hub_model_id: `me/${model}-${data}-${i}`,
              logging_steps: 10,
              timestamp: `2026-11-30T10:${String(i).padStart(2, "0")}:00Z`,
            },
            target,
          });
        }
  return runs;
}

/**
 * 20 runs where the bigger base model was mostly run on the bigger dataset (none of tiny-l on
 * arith-small). Planted: the dataset moves the loss by 0.4, the base model by 0.05.
 */
export function unbalancedSweep(): SweepRun[] {
  const rng = createRng(20);
  const cells: [ModelName, string, number][] = [["tiny-s", "arith-small", 7], ["tiny-s", "arith-large", 3], ["tiny-l", "arith-large", 10]];
  const runs: SweepRun[] = [];
  for (const [base, dataset, count] of cells)
    for (let seed = 1; seed <= count; seed++) {
      const target = 1 + (dataset === "arith-small" ? 0.4 : 0) + (base === "tiny-s" ? 0.05 : 0) + 0.03 * (rng() - 0.5);
      runs.push({ name: `lora-${base}-${dataset}-s${seed}`, baseModel: base, method: "lora", dataset: { name: dataset, version: "v1" }, seed, config: trainerConfig(base, "lora", dataset, seed), target });
    }
  return runs;
}

const scalar = (v: unknown): FactorValue => (v === null || v === undefined ? null : typeof v === "object" ? JSON.stringify(v) : (v as FactorValue));

/** The candidate columns a server would offer: first-class fields, then config paths one level deep (a config key may repeat a field's name). */
export function sweepColumns(runs: SweepRun[]): CandidateColumn[] {
  const first: CandidateColumn[] = (["baseModel", "method", "dataset"] as const).map((key) => ({
    key,
    values: runs.map((r) => (key === "dataset" ? (r.dataset ? `${r.dataset.name}@${r.dataset.version}` : null) : (r[key] ?? null))),
  }));
  const cols = new Map<string, FactorValue[]>();
  const set = (key: string, i: number, v: unknown) => {
    if (!cols.has(key)) cols.set(key, new Array<FactorValue>(runs.length).fill(null));
    cols.get(key)![i] = scalar(v);
  };
  runs.forEach((r, i) => {
    for (const [k, v] of Object.entries(r.config)) {
      if (v && typeof v === "object" && !Array.isArray(v)) for (const [k2, v2] of Object.entries(v)) set(`${k}.${k2}`, i, v2);
      else set(k, i, v);
    }
  });
  return [...first, ...[...cols].map(([key, values]) => ({ key, values }))];
}
