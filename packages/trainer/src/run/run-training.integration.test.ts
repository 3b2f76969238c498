import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestServer, storedPoints, type TestServer } from "@finetrack/sdk/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCheckpoint } from "../checkpoint/checkpoint-io";
import { parseConfig } from "../config/parse-config";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import type { LoadedModel } from "../types";
import { encodeSplits, loadSplitRecords } from "../prepare/prepare-data";
import { runPretraining } from "./run-pretraining";
import { runTraining } from "./run-training";

let server: TestServer;
let base: LoadedModel;

beforeAll(async () => {
  server = await startTestServer();
  base = createModel("itest", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 5);
});
afterAll(async () => {
  disposeModel(base);
  await server?.close();
});

const tracking = () => ({ url: server.url, apiKey: server.apiKey, home: server.home, quiet: true });

describe("runTraining against a real server", () => {
  it("logs every eval step, the summary and the first-class fields, and the points arrive in Postgres", async () => {
    const config = parseConfig({
      project: server.project, base_model: "itest", dataset: "arithmetic", max_samples: 80, finetuning_type: "lora",
      lora_target: "all", max_steps: 6, eval_steps: 2, per_device_train_batch_size: 8, learning_rate: 0.01, backend: "cpu", tags: ["itest"],
    });
    const r = await runTraining(config, { base, tracking: tracking() });
    const points = await storedPoints(server.db, r.runId);
    for (const key of ["train/loss", "val/loss", "val/perplexity", "val/accuracy", "lr", "grad_norm", "tokens_per_sec"]) {
      expect(points.get(key)?.map((p) => p.step), key).toEqual([2, 4, 6]);
    }
    expect(points.get("val/loss")!.map((p) => p.value)).toEqual(r.result.history.map((h) => h["val/loss"]));
    const run = await server.db.prisma.run.findFirstOrThrow({ where: { id: r.runId }, include: { dataset: true } });
    expect(run).toMatchObject({ status: "finished", baseModel: "itest", method: "lora", seed: 42, group: null, tags: ["itest"] });
    expect(Number(run.baseModelParams)).toBe(r.result.totalParams - r.result.trainableParams);
    expect(run.dataset).toMatchObject({ name: "arithmetic", contentHash: r.data.info.contentHash, trainSize: 64, validationSize: 8, testSize: 8 });
    expect(run.system).toMatchObject({ backend: "cpu" });
    expect(run.config).toMatchObject({ lora_rank: 8, learning_rate: 0.01, max_steps: 6, model_config: { width: 16 } });
    const summary = run.summary as Record<string, unknown>;
    expect(summary).toMatchObject({ best_step: r.result.bestStep, stop_reason: "max_steps", trainable_params: r.result.trainableParams, total_params: r.result.totalParams });
    for (const key of ["best_val_loss", "final_train_loss", "model_bytes", "wall_time_ms", "test_loss", "test_accuracy"]) expect(typeof summary[key], key).toBe("number");
  });

  it("finishes a run that throws as failed, with the message", async () => {
    const config = parseConfig({ project: server.project, base_model: "itest", dataset: "uppercase", max_samples: 40, max_steps: 2, backend: "cpu" });
    const data = encodeSplits(config, base.config, loadSplitRecords(config));
    // A token id outside the vocabulary: the trainer rejects the batch after the run has started.
    (data.train[0] as { input: number[] }).input[1] = 9999;
    const error = await runTraining(config, { base, data, tracking: tracking() }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(Error);
    const run = await server.db.prisma.run.findFirstOrThrow({ where: { name: "lora-itest-uppercase-s42" } });
    expect(run.status).toBe("failed");
    expect(run.error).toBe((error as Error).message);
    expect(run.error).toMatch(/9999/);
  });
});

describe("runPretraining against a real server", () => {
  it("logs the loss curve, the corpus as dataset and the checkpoint as an artifact", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "ft-pre-"));
    const r = await runPretraining({
      project: server.project, name: "pre-itest", layers: 1, width: 16, heads: 2, contextLength: 16, steps: 4, batchSize: 4,
      learningRate: 0.01, seed: 3, corpusChars: 4000, outDir, backend: "cpu", tracking: tracking(),
    });
    const points = await storedPoints(server.db, r.runId);
    expect(points.get("train/loss")!.map((p) => p.step)).toEqual([1, 2, 3, 4]);
    expect(points.get("val/loss")!.length).toBeGreaterThan(0);
    const run = await server.db.prisma.run.findFirstOrThrow({ where: { id: r.runId }, include: { dataset: true, artifacts: true } });
    expect(run).toMatchObject({ status: "finished", method: "pretrain", baseModel: "pre-itest" });
    expect(run.dataset).toMatchObject({ name: "corpus-s3", trainSize: 4000 });
    expect(run.artifacts).toHaveLength(1);
    expect(run.artifacts[0]).toMatchObject({ name: "pre-itest", kind: "model", uri: `file://${r.checkpointDir}` });
    const model = await loadCheckpoint(r.checkpointDir);
    expect(model.pretraining).toMatchObject({ steps: 4, seed: 3 });
    disposeModel(model);
  });
});
