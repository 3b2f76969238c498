import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createModel, fineTune, saveCheckpoint, initBackend } from "@finetrack/trainer";
import { parseConfig } from "@finetrack/trainer/config";
import { encodeSplits, loadSplitRecords } from "@finetrack/trainer/run";
import { runCli } from "../../test/run-cli";

let dir: string;
beforeAll(async () => {
  await initBackend();
  dir = await mkdtemp(path.join(tmpdir(), "ft-cli-compress-"));
  const lines = Array.from({ length: 120 }, (_, i) => JSON.stringify({ text: `${i % 2 ? "good fine great" : "bad poor awful"} item ${i}`, label: i % 2 ? "pos" : "neg" }));
  await writeFile(path.join(dir, "data.jsonl"), lines.join("\n") + "\n");
  const cfg = parseConfig({ base_model: "x", dataset: path.join(dir, "data.jsonl"), seed: 1 });
  const base = createModel("cli-mlp", { family: "mlp", inputDim: 32, hidden: [16], numClasses: 2 }, 1);
  const data = encodeSplits(cfg, base.config, loadSplitRecords(cfg));
  const ft = await fineTune({ baseModel: base, method: { finetuning_type: "full" }, train: data.train, validation: data.validation, hyper: { max_steps: 30, learning_rate: 0.02 } });
  await saveCheckpoint(ft.model, path.join(dir, "ckpt"));
  await writeFile(
    path.join(dir, "compress.yaml"),
    ["dataset: data.jsonl", "seed: 1", `output_dir: ${path.join(dir, "out")}`, "parent_run_id: cliparent01", "steps:", "  - method: ptq", "    weights: { bits: 8 }", "  - method: prune", "    sparsity: 0.5", "    recovery_steps: 5"].join("\n"),
  );
}, 120_000);
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("finetrack compress", () => {
  it("compresses a checkpoint, prints one row per child run and saves the compressed checkpoints", async () => {
    const home = path.join(dir, "home");
    const r = await runCli(["compress", "-c", path.join(dir, "compress.yaml"), "--from", path.join(dir, "ckpt"), "--offline", "--set", "steps.0.weights.bits=4"], { FINETRACK_HOME: home });
    expect(r.stderr).not.toMatch(/finetrack: .*error/i);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain("2 compression run(s) under cliparent01");
    expect(r.stdout).toMatch(/ptq-int4-sym-channel/);
    expect(r.stdout).toMatch(/prune-unstructured-one_shot-s0\.5/);
    const runs = readdirSync(path.join(dir, "out"));
    expect(runs).toHaveLength(2);
    for (const id of runs) expect(existsSync(path.join(dir, "out", id, "compressed.bin"))).toBe(true);
    expect(readdirSync(path.join(home, "spool")).filter((f) => runs.some((id) => f.startsWith(id)))).toHaveLength(2);
  }, 120_000);

  it("a bad config fails before anything runs, naming the field", async () => {
    await writeFile(path.join(dir, "bad.yaml"), "steps:\n  - method: prune\n    sparsity: 2\n");
    const r = await runCli(["compress", "-c", path.join(dir, "bad.yaml"), "--from", path.join(dir, "ckpt"), "--offline"], { FINETRACK_HOME: path.join(dir, "home2") });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/steps\.0\.sparsity/);
  }, 60_000);
});
