import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MADE } from "../../test/import/fixture-paths";
import { parseElapsed, readLlamaFactory } from "./llama-factory";
import type { SourceRun } from "./types";

const curve = (run: SourceRun, key: string) => run.points.filter((p) => p.key === key);
const DIR = `${MADE}llama-factory/saves/Qwen2-7B/lora/sft`;

describe("LLaMA-Factory saves", () => {
  it("reads trainer_log.jsonl: doubled steps once, eval_loss null skipped, evaluation lines, progress-only lines left out", () => {
    const run = readLlamaFactory(DIR);
    const lines = readFileSync(`${DIR}/trainer_log.jsonl`, "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    const trainSteps = new Set(lines.filter((l) => typeof l.loss === "number").map((l) => l.current_steps));
    const evalSteps = new Set(lines.filter((l) => typeof l.eval_loss === "number").map((l) => l.current_steps));
    expect(curve(run, "train/loss")).toHaveLength(trainSteps.size);
    expect(curve(run, "train/learning_rate")).toHaveLength(trainSteps.size);
    expect(curve(run, "eval/loss").map((p) => p.step)).toEqual([...evalSteps]);
    expect(curve(run, "eval/loss").every((p) => Number.isFinite(p.value))).toBe(true);
    expect(run.points).toHaveLength(2 * trainSteps.size + evalSteps.size);
    expect(run.skipped).toContain("5 progress-only line(s) without a loss in trainer_log.jsonl");
    // epoch as the 2-decimal float LLaMA-Factory logs, the same value at consecutive steps
    expect(curve(run, "train/loss").slice(0, 4).map((p) => [p.step, p.epoch])).toEqual([[10, 0.01], [20, 0.01], [30, 0.02], [40, 0.03]]);
  });

  it("takes the model, method, dataset and LoRA settings from training_args.yaml and adapter_config.json", () => {
    const run = readLlamaFactory(DIR);
    expect(run).toMatchObject({ baseModel: "Qwen/Qwen2-7B", method: "qlora", dataset: "alpaca_en_demo,identity", status: "finished" });
    expect(run.config).toMatchObject({ lora_rank: 8, template: "qwen", finetuning_type: "lora", quantization_bit: 4, max_steps: 3000, peft_config: { r: 8, peft_type: "LORA" } });
    expect(run.summary).toMatchObject({ train_loss: 0.6234, train_runtime: 858000, elapsed_seconds: 3000 * 286 });
  });

  it("parses Python timedelta text, days included", () => {
    expect(parseElapsed("9 days, 22:13:15")).toBe(9 * 86_400 + 22 * 3600 + 13 * 60 + 15);
    expect(parseElapsed("1 day, 0:00:01")).toBe(86_401);
    expect(parseElapsed("0:04:05")).toBe(245);
    expect(parseElapsed("soon")).toBeUndefined();
  });

  it("imports the readable lines of a damaged log and names each bad line", () => {
    const run = readLlamaFactory(`${MADE}llama-factory-truncated/sft`);
    expect(curve(run, "train/loss").map((p) => p.step)).toEqual([5, 10, 15, 20, 30, 35, 40, 45, 50]);
    expect(run.problems).toEqual([
      { file: expect.stringMatching(/trainer_log\.jsonl$/), where: "line 5", message: expect.stringMatching(/^not valid JSON/) },
      { file: expect.stringMatching(/trainer_log\.jsonl$/), where: "line 11", message: "truncated (the file ends mid-line)" },
    ]);
    expect(run.status).toBe("killed");
  });
});
