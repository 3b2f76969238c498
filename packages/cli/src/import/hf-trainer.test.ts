import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MADE, REAL } from "../../test/import/fixture-paths";
import { readHfTrainer } from "./hf-trainer";
import type { SourceRun } from "./types";

const curve = (run: SourceRun, key: string) => run.points.filter((p) => p.key === key);

/** Numeric fields of each log_history entry, counted from the raw file (not through the importer). */
function countNumericFields(file: string, filter: (entry: Record<string, unknown>) => boolean): number {
  // These fixtures hold no such words in strings, so a plain replace makes them JSON.parse-able.
  const text = readFileSync(file, "utf8").replace(/-?Infinity|NaN/g, "0");
  const history = (JSON.parse(text) as { log_history: Record<string, unknown>[] }).log_history;
  return history.filter(filter).reduce((n, e) => n + Object.entries(e).filter(([k, v]) => k !== "step" && k !== "epoch" && typeof v === "number").length, 0);
}

describe("Hugging Face Trainer output folders", () => {
  it("reads the real transformers 5.18 output as one run from its longest checkpoint history", () => {
    const run = readHfTrainer(`${REAL}transformers-5.18/trainer-output`);
    expect(run.files.some((f) => f.endsWith("checkpoint-12/trainer_state.json"))).toBe(true);
    expect(run.points).toHaveLength(countNumericFields(`${REAL}transformers-5.18/trainer-output/checkpoint-12/trainer_state.json`, () => true));
    expect(curve(run, "train/loss").map((p) => p.step)).toEqual([2, 4, 6, 8, 10, 12]);
    expect(curve(run, "eval/loss").map((p) => p.step)).toEqual([4, 8, 12]);
    expect(curve(run, "eval/loss")[0]).toMatchObject({ value: 3.894876003265381, epoch: 0.25 });
    expect(run.method).toBe("lora");
    expect(run.config).toMatchObject({ logging_steps: 2, eval_steps: 4, max_steps: 12, peft_config: { r: 4, lora_alpha: 8, lora_dropout: 0, target_modules: ["c_attn"] } });
    expect(run.summary).toMatchObject({ best_metric: 3.894857883453369, best_model_checkpoint: "/home/u/runs/a/checkpoint-12", metric_for_best_model: "eval_loss", greater_is_better: false });
    expect(run.skipped.join()).toMatch(/training_args\.bin.*pickle, not unpickled/);
    expect(run.problems).toEqual([]);
    expect(run.status).toBe("finished");
  });

  it("puts the end-of-training aggregate entry in the summary, never a one-point curve, and parses NaN", () => {
    const dir = `${MADE}hf-whisper-wer/whisper-small-hi`;
    const run = readHfTrainer(dir);
    const text = readFileSync(`${dir}/trainer_state.json`, "utf8");
    expect(curve(run, "train/loss")).toHaveLength(text.match(/"loss": /g)!.length);
    expect(run.points.some((p) => /train_loss|train_runtime|total_flos|samples_per_second$/.test(p.key) && !p.key.startsWith("eval/"))).toBe(false);
    expect(run.summary).toMatchObject({ train_loss: 0.1935, train_runtime: 25890.1, train_samples_per_second: 2.472, total_flos: 1.846946562048e19 });
    const nanStep = curve(run, "train/grad_norm").find((p) => p.step === 1250)!;
    expect(nanStep.value).toBeNaN();
    // 8 sparse evaluations; the final evaluate() after training is a result, not a 9th point
    expect(curve(run, "eval/wer")).toHaveLength(8);
    expect(run.summary.final_eval_wer).toBe(run.summary.best_metric);
    // epoch rounded to 2 decimals and repeated across steps, as the Trainer logs it
    expect(curve(run, "train/loss").slice(0, 3).map((p) => p.epoch)).toEqual([0.06, 0.11, 0.17]);
  });

  it("reads metric_for_best_model and greater_is_better from training_args.json and keeps a foreign checkpoint path as text", () => {
    const run = readHfTrainer(`${MADE}hf-whisper-wer/whisper-small-hi`);
    expect(run.summary).toMatchObject({ metric_for_best_model: "eval_wer", greater_is_better: false, best_metric_source: "training_args.json", best_model_checkpoint: "/content/drive/MyDrive/whisper-small-hi/checkpoint-4000" });
    expect(run.baseModel).toBe("openai/whisper-small");
    expect(run.name).toBe("whisper-small-hi");
    expect(run.config).toMatchObject({ learning_rate: 1e-5, model_config: { architectures: ["WhisperForConditionalGeneration"] } });
  });

  it("makes one run of a folder of checkpoints, with epoch-end evaluations off the logging grid and Infinity", () => {
    const run = readHfTrainer(`${MADE}hf-classifier-f1/results`);
    expect(run.files.filter((f) => f.endsWith("trainer_state.json"))).toEqual([expect.stringMatching(/checkpoint-3252\/trainer_state\.json$/)]);
    expect(curve(run, "eval/f1").map((p) => p.step)).toEqual([1626, 3252]);
    expect(curve(run, "train/loss").find((p) => p.step === 2300)?.value).toBe(Number.POSITIVE_INFINITY);
    expect(run.points).toHaveLength(countNumericFields(`${MADE}hf-classifier-f1/results/checkpoint-3252/trainer_state.json`, () => true));
    // no training_args.json: the metric is recognised from log_history, higher is better for F1
    expect(run.summary).toMatchObject({ best_metric: 0.9012, metric_for_best_model: "eval_f1", greater_is_better: true, best_metric_source: "inferred from log_history", best_model_checkpoint: ".\\results\\checkpoint-3252" });
    expect(run.baseModel).toBe("bert-base-uncased");
    expect(run.status).toBe("killed");
    expect(run.error).toMatch(/step 3252 of 4878/);
  });

  it("imports what precedes the cut in a truncated trainer_state.json and reports where it broke", () => {
    const run = readHfTrainer(`${MADE}hf-truncated/out`);
    expect(curve(run, "train/loss").map((p) => p.step)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    expect(run.problems).toEqual([{ file: expect.stringMatching(/hf-truncated\/out\/trainer_state\.json$/), where: expect.stringMatching(/^line \d+, byte \d+$/), message: expect.stringMatching(/truncated or corrupt: read the first 12 log_history entries/) }]);
    expect(run.summary.global_step).toBe(200);
  });

  it("names a Git LFS pointer in place of trainer_state.json", () => {
    expect(() => readHfTrainer(`${MADE}hf-lfs/out`)).toThrow(/hf-lfs\/out\/trainer_state\.json: a Git LFS pointer \(sha256:4d7a2146.*1,843,200 B \(1\.76 MiB\)\), not the file itself; run `git lfs pull`/);
  });
});
