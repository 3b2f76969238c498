import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MADE, REAL } from "../../test/import/fixture-paths";
import { findSources } from "./find-sources";

const temp = () => mkdtempSync(join(tmpdir(), "ft-find-"));

describe("finding runs on disk", () => {
  it("finds each format once in a mixed folder, and never one run per checkpoint", () => {
    const { candidates, problems } = findSources([MADE]);
    expect(problems).toEqual([]);
    const found = candidates.map((c) => `${c.format} ${c.dir.slice(MADE.length)}`).sort();
    expect(found).toEqual([
      "hf-trainer hf-classifier-f1/results",
      "hf-trainer hf-lfs/out",
      "hf-trainer hf-truncated/out",
      "hf-trainer hf-whisper-wer/whisper-small-hi",
      "llama-factory llama-factory-truncated/sft",
      "llama-factory llama-factory/saves/Qwen2-7B/lora/sft",
      "mlflow mlflow-corrupt/mlruns/0/00aa11bb22cc33dd44ee55ff66778899",
      "mlflow mlruns/412783105573284961/3f1b2c9d8e7a4b6c9d0e1f2a3b4c5d6e",
      "mlflow mlruns/412783105573284961/9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
    ]);
  });

  it("takes single files too: a checkpoint's trainer_state.json means its output folder", () => {
    const { candidates } = findSources([`${REAL}transformers-5.18/trainer-output/checkpoint-8/trainer_state.json`, `${REAL}transformers-5.18/trainer-output`]);
    expect(candidates.map((c) => [c.format, c.dir])).toEqual([["hf-trainer", `${REAL}transformers-5.18/trainer-output`]]);
    expect(candidates[0].read().points).toHaveLength(30);
  });

  it("leaves the TensorBoard logs inside a Trainer output folder to the trainer_state.json, and says so", () => {
    const dir = temp();
    cpSync(`${REAL}transformers-5.18/trainer-output`, join(dir, "out"), { recursive: true });
    mkdirSync(join(dir, "out/runs/Dec01_12-00-00_vm"), { recursive: true });
    cpSync(`${REAL}tensorboard/runs/lr-1e-3/events.out.tfevents.1796153202.vm.28619.0`, join(dir, "out/runs/Dec01_12-00-00_vm/events.out.tfevents.1796153202.vm.28619.0"));
    const { candidates } = findSources([dir]);
    expect(candidates.map((c) => c.format)).toEqual(["hf-trainer"]);
    expect(candidates[0].read().skipped.join()).toMatch(/runs\/ \(TensorBoard event files of the same training/);
  });

  it("reports paths that do not exist and files it does not import", () => {
    const dir = temp();
    writeFileSync(join(dir, "notes.txt"), "hello");
    const { candidates, problems } = findSources([join(dir, "missing"), join(dir, "notes.txt")]);
    expect(candidates).toEqual([]);
    expect(problems).toEqual([
      { file: join(dir, "missing"), message: "no such file or folder" },
      { file: join(dir, "notes.txt"), message: expect.stringMatching(/^not a file finetrack imports/) },
    ]);
  });
});
