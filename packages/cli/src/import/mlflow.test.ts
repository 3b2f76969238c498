import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MADE } from "../../test/import/fixture-paths";
import { findSources } from "./find-sources";
import { paramValue } from "./mlflow";
import { SkippedSource, type SourceRun } from "./types";

const curve = (run: SourceRun, key: string) => run.points.filter((p) => p.key === key);
const EXP = `${MADE}mlruns/412783105573284961`;

/** Distinct steps of a metric file, from its raw lines. */
const distinctSteps = (file: string) => new Set(readFileSync(file, "utf8").trim().split("\n").map((l) => l.split(" ")[2])).size;

describe("MLflow file store", () => {
  const runs = findSources([`${MADE}mlruns`]).candidates.map((c) => c.read());
  const [finished, failed] = runs;

  it("finds each run of each experiment and reads meta.yaml, params and tags", () => {
    expect(runs.map((r) => [r.format, r.name, r.group, r.status])).toEqual([
      ["mlflow", "lora-r16", "llama-lora-sweep", "finished"],
      ["mlflow", "lora-r64", "llama-lora-sweep", "failed"],
    ]);
    expect(finished.config).toMatchObject({ learning_rate: 0.0002, lora_r: 16, fp16: true, optim: "paged_adamw_32bit", mlflow_tags: { team: "nlp" } });
    expect(finished).toMatchObject({ baseModel: "meta-llama/Llama-2-7b-hf", dataset: "timdettmers/openassistant-guanaco" });
    expect(finished.summary).toMatchObject({ mlflow_run_id: "3f1b2c9d8e7a4b6c9d0e1f2a3b4c5d6e", git_commit: "a1b2c3d4e5f6" });
  });

  it("reads 'timestamp value step' lines: nested metric names, nan, a step logged twice kept once", () => {
    const dir = `${EXP}/3f1b2c9d8e7a4b6c9d0e1f2a3b4c5d6e`;
    for (const key of ["train/loss", "eval_loss", "learning_rate", "epoch"]) expect(curve(finished, key)).toHaveLength(distinctSteps(`${dir}/metrics/${key}`));
    expect(curve(finished, "train/loss")[1]).toEqual({ key: "train/loss", step: 1, value: 2.6556, time: 1717400030000 });
    expect(curve(finished, "epoch").map((p) => p.time)).toEqual([1717400000000, 1717400031000, 1717400060000]);
    expect(curve(failed, "train/loss").find((p) => p.step === 65)!.value).toBeNaN();
  });

  it("reports malformed and cut metric lines with file and line, and keeps the rest", () => {
    const [run] = findSources([`${MADE}mlflow-corrupt`]).candidates.map((c) => c.read());
    expect(curve(run, "loss").map((p) => p.step)).toEqual([0, 1, 3]);
    expect(run.problems.map((p) => [p.where, p.message])).toEqual([
      ["line 3", "expected 'timestamp value step', got '1717400002000 garbage 2'"],
      ["line 5", "truncated line '17174000040'"],
    ]);
    expect(run).toMatchObject({ status: "killed", error: expect.stringMatching(/still RUNNING/) });
  });

  it("leaves out a run deleted in MLflow, saying so", () => {
    const dir = mkdtempSync(join(tmpdir(), "ft-mlflow-"));
    cpSync(`${EXP}/3f1b2c9d8e7a4b6c9d0e1f2a3b4c5d6e`, join(dir, "run"), { recursive: true });
    const meta = join(dir, "run/meta.yaml");
    writeFileSync(meta, readFileSync(meta, "utf8").replace("lifecycle_stage: active", "lifecycle_stage: deleted"));
    expect(() => findSources([dir]).candidates[0].read()).toThrow(SkippedSource);
  });

  it("keeps the run's original start and end times in the summary", () => {
    expect(finished.summary).toMatchObject({ started_at: "2024-06-03T07:33:20.000Z", ended_at: "2024-06-03T08:33:20.000Z" });
  });

  it("turns param text back into the numbers and booleans that were logged", () => {
    expect([paramValue("0.0002"), paramValue("16"), paramValue("1e-05"), paramValue("True"), paramValue("None"), paramValue("['mlflow']")]).toEqual([0.0002, 16, 1e-5, true, null, "['mlflow']"]);
  });
});
