// Compression children logged to a real server (real Postgres, real HTTP), and the CLI path that
// starts from a run id: the fine-tune's checkpoint is found through its "model" artifact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { init } from "@finetrack/sdk";
import { startTestServer, type TestServer } from "@finetrack/sdk/testing";
import { createModel, disposeModel } from "../models/create-model";
import { fineTuneModel } from "../train/fine-tune";
import { evaluateModel } from "../train/evaluate-model";
import { saveCheckpoint } from "../checkpoint/checkpoint-io";
import { parseConfig } from "../config/parse-config";
import { runTraining } from "../run/run-training";
import { encodeSplits, loadSplitRecords } from "../prepare/prepare-data";
import { createRng } from "../models/rng";
import { parseCompressConfig } from "../config/compress-config";
import { compressFrom } from "./compress-from";
import { loadCompressedCheckpoint } from "./compressed-checkpoint";

let server: TestServer;
let dir: string;
beforeAll(async () => {
  server = await startTestServer();
  dir = await mkdtemp(path.join(tmpdir(), "ft-compress-srv-"));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** A sentiment-like text + label dataset the MLP family can learn from hashed n-grams. */
async function writeDataset(): Promise<string> {
  const rng = createRng(7);
  const good = ["great", "lovely", "fine", "superb", "happy"];
  const bad = ["awful", "poor", "sad", "broken", "worst"];
  const filler = ["the", "movie", "was", "really", "quite", "plot", "actor"];
  const pick = (xs: string[]) => xs[Math.floor(rng() * xs.length)];
  const lines = Array.from({ length: 400 }, () => {
    const pos = rng() < 0.5;
    const words = [pick(filler), pick(pos ? good : bad), pick(filler), pick(filler), pick(pos ? good : bad)];
    return JSON.stringify({ text: words.join(" "), label: pos ? "pos" : "neg" });
  });
  const file = path.join(dir, "sentiment.jsonl");
  await writeFile(file, lines.join("\n") + "\n");
  return file;
}

describe("compression logged as child runs of the fine-tune", () => {
  it("finetrack compress --from <run id>: PTQ, pruning and distillation children with bytes, val loss and checkpoints", async () => {
    const tracking = { url: server.url, apiKey: server.apiKey, home: server.home, quiet: true };
    const dataset = await writeDataset();
    // The fine-tune, logged the way a training run logs itself, with its checkpoint as an artifact.
    const trainConfig = parseConfig({ base_model: "mlp", dataset, seed: 3, val_size: 0.25, test_size: 0.1 });
    const base = createModel("mlp-base", { family: "mlp", inputDim: 64, hidden: [32], numClasses: 2 }, 1);
    const data = encodeSplits(trainConfig, base.config, loadSplitRecords(trainConfig));
    const ft = await fineTuneModel({ baseModel: base, method: { finetuning_type: "lora", lora_rank: 4, lora_target: "all" }, train: data.train, validation: data.validation, hyper: { max_steps: 80, learning_rate: 0.02, per_device_train_batch_size: 32, seed: 3 } });
    const parent = await init({ ...tracking, project: server.project, name: "lora-mlp", config: { ...trainConfig }, method: "lora", baseModel: base.name });
    const ckpt = path.join(dir, "finetune");
    await saveCheckpoint(ft.model, ckpt);
    parent.artifact({ name: "final", kind: "model", uri: `file://${ckpt}` });
    await parent.finish({ summary: { best_val_loss: ft.bestValLoss } });
    const ftVal = evaluateModel(ft.model, data.validation);

    const student = path.join(dir, "student");
    await saveCheckpoint(createModel("mlp-student", { family: "mlp", inputDim: 64, hidden: [4], numClasses: 2 }, 2), student);
    const config = parseCompressConfig({
      output_dir: path.join(dir, "compressed"),
      steps: [
        { method: "ptq", weights: { bits: 8 }, activations: { calibration: "percentile", percentile: 99.9 } },
        { method: "prune", name: "prune-80", sparsity: 0.8, recovery_steps: 20, train: { learning_rate: 0.01, eval_steps: 10 } },
        { method: "distill", student, temperature: 2, alpha: 0.7, train: { max_steps: 30, learning_rate: 0.02, eval_steps: 10 }, compare_without_teacher: false },
      ],
    });
    const out = await compressFrom(config, { from: parent.id, tracking });
    expect(out.parentRunId).toBe(parent.id);
    expect(out.results.map((r) => r.technique)).toEqual(["ptq", "prune", "distill"]);

    for (const r of out.results) {
      const run = await server.client.run.get.query({ id: r.runId });
      expect(run.parentRunId).toBe(parent.id);
      expect(run.status).toBe("finished");
      expect(run.method).toBe(r.technique);
      expect(run.dataset).toMatchObject({ name: "sentiment", trainSize: data.info.trainSize });
      const s = run.summary as Record<string, number>;
      expect(s.model_bytes).toBeGreaterThan(0);
      expect(s.val_loss_delta).toBeCloseTo(s.val_loss - s.val_loss_before, 9);
      expect(run.config).toMatchObject({ technique: r.technique, parent_run_id: parent.id });
      const artifacts = await server.client.artifact.list.query({ runId: r.runId });
      expect(artifacts).toHaveLength(1);
      expect(artifacts[0]).toMatchObject({ kind: "model", bytes: s.model_bytes });
      const loaded = await loadCompressedCheckpoint(fileURLToPath(artifacts[0].uri));
      expect(evaluateModel(loaded, data.validation).loss).toBeCloseTo(s.val_loss, 5);
      disposeModel(loaded);
    }
    const [ptq, prune, distill] = await Promise.all(out.results.map((r) => server.client.run.get.query({ id: r.runId })));
    // The PTQ child starts from the fine-tune as it was (LoRA merged) and reports per-layer sensitivity.
    expect((ptq.summary as Record<string, number>).val_loss_before).toBeCloseTo(ftVal.loss, 5);
    expect((ptq.summary as Record<string, unknown[]>).layers).toHaveLength(2);
    expect(ptq.summary.bytes_before as number).toBeGreaterThan((ptq.summary.model_bytes as number) * 3);
    expect(prune.name).toBe("prune-80");
    expect(prune.summary.sparsity).toBeCloseTo(0.8, 2);
    expect(distill.baseModel).toBe("mlp-student");
    expect(distill.config).toMatchObject({ method_config: { teacher: { run_id: parent.id, checkpoint: ckpt }, temperature: 2, alpha: 0.7 } });
    expect(distill.summary.teacher_run_id).toBe(parent.id);
    // Curves: sparsity and val loss over the recovery steps.
    const series = await server.client.metric.series.query({ runIds: [prune.id], keys: ["sparsity", "val/loss"], maxPoints: 100 });
    expect(series.series.map((x) => x.key).sort()).toEqual(["sparsity", "val/loss"]);
    expect(series.series.find((x) => x.key === "sparsity")!.value.at(-1)).toBeCloseTo(0.8, 2);
    // Every child's last val/loss point is its compressed model's (what the run page plots against bytes).
    for (const run of [ptq, prune, distill]) {
      const stats = (await server.client.run.get.query({ id: run.id })).metricStats;
      expect(stats["val/loss"].last).toBeCloseTo(run.summary.val_loss as number, 9);
      expect(stats["model_bytes"].last).toBe(run.summary.model_bytes);
    }
    disposeModel(ft.model);
    disposeModel(base);
  }, 180_000);

  it("--from a run without a checkpoint fails with a clear message and logs nothing", async () => {
    const tracking = { url: server.url, apiKey: server.apiKey, home: server.home, quiet: true };
    const bare = await init({ ...tracking, project: server.project, name: "no-ckpt" });
    await bare.finish();
    const config = parseCompressConfig({ steps: [{ method: "ptq", weights: { bits: 8 } }] });
    await expect(compressFrom(config, { from: bare.id, tracking })).rejects.toThrow(/no model artifact/);
    await expect(compressFrom(config, { from: "../nope/", tracking })).rejects.toThrow(/neither a checkpoint directory/);
    expect(await server.db.prisma.run.count({ where: { parentRunId: bare.id } })).toBe(0);
  }, 60_000);

  it("a training config with a compress: section logs its compression children under the new run", async () => {
    const tracking = { url: server.url, apiKey: server.apiKey, home: server.home, quiet: true };
    const dataset = path.join(dir, "sentiment.jsonl");
    const config = parseConfig({
      project: server.project,
      base_model: "mlp-inline",
      dataset,
      finetuning_type: "full",
      max_steps: 30,
      learning_rate: 0.02,
      seed: 4,
      output_dir: path.join(dir, "runs"),
      compress: { output_dir: path.join(dir, "inline"), steps: [{ method: "ptq", weights: { format: "nf4" }, sensitivity: false }] },
    });
    expect(config.compress!.steps[0]).toMatchObject({ method: "ptq", weights: { format: "nf4", double_quant: false } });
    const base = createModel("mlp-inline", { family: "mlp", inputDim: 64, hidden: [16], numClasses: 2 }, 5);
    const res = await runTraining(config, { base, tracking });
    const children = await server.db.prisma.run.findMany({ where: { parentRunId: res.runId } });
    expect(children).toHaveLength(1);
    expect(children[0]).toMatchObject({ method: "ptq", status: "finished" });
    expect((children[0].summary as Record<string, number>).val_loss_before).toBeCloseTo(res.summary.best_val_loss as number, 5);
    // The fine-tune saved its checkpoint as its model artifact: compress --from <run id> needs nothing else,
    // not even the dataset (the data keys come from the run's config).
    expect(res.summary.checkpoint).toBe(path.join(dir, "runs", res.runId));
    const later = await compressFrom(parseCompressConfig({ output_dir: path.join(dir, "later"), steps: [{ method: "ptq", weights: { bits: 8 } }] }), { from: res.runId, tracking });
    expect(later.parentRunId).toBe(res.runId);
    const all = await server.db.prisma.run.findMany({ where: { parentRunId: res.runId }, orderBy: { createdAt: "asc" } });
    expect(all.map((r) => r.name)).toEqual(["ptq-nf4-b64", "ptq-int8-sym-channel"]);
    expect(all[1].projectId).toBe(children[0].projectId);
    expect((all[1].summary as Record<string, number>).val_loss_before).toBeCloseTo(res.summary.best_val_loss as number, 5);
    expect(() => parseConfig({ base_model: "x", dataset, compress: { steps: [{ method: "ptq", weights: { bits: 5 } }] } })).toThrow(/compress\.steps\.0\.weights\.bits/);
    disposeModel(base);
  }, 120_000);
});
