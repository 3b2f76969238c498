import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseConfig } from "../config/parse-config";
import { createModel, disposeModel, transformerConfig } from "../models/create-model";
import { runKfold } from "./run-kfold";
import { meanStd } from "../kfold/kfold-splits";

describe("runKfold", () => {
  it("runs one grouped run per fold and puts mean ± std and the ensemble in the summary run", async () => {
    const base = createModel("kf", transformerConfig({ vocabSize: 259, contextLength: 32, layers: 1, width: 16, heads: 2 }), 3);
    const config = parseConfig({
      base_model: "kf", dataset: "uppercase", max_samples: 60, test_size: 12, kfold: { k: 3, ensemble: true },
      max_steps: 3, per_device_train_batch_size: 8, learning_rate: 0.01, backend: "cpu",
    });
    try {
      const r = await runKfold(config, { base, tracking: { mode: "offline", home: mkdtempSync(join(tmpdir(), "ft-kf-")), quiet: true } });
      expect(r.folds).toHaveLength(3);
      expect(new Set(r.folds.map((f) => f.runId)).size).toBe(3);
      expect(r.folds.map((f) => f.data.info.validationSize)).toEqual([16, 16, 16]);
      expect(r.folds.every((f) => f.data.info.testSize === 12 && f.data.info.trainSize === 32)).toBe(true);
      const losses = r.folds.map((f) => f.summary.best_val_loss as number);
      expect(r.summary.cv_best_val_loss_mean).toBeCloseTo(meanStd(losses).mean, 10);
      expect(r.summary.cv_best_val_loss_std).toBeCloseTo(meanStd(losses).std, 10);
      expect(r.summary.folds).toBe(3);
      expect(r.summary.ensemble_test_loss).toBeGreaterThan(0);
      // Jensen: the ensemble's test loss is at most the folds' mean test loss.
      expect(r.summary.ensemble_test_loss as number).toBeLessThanOrEqual((r.summary.cv_test_loss_mean as number) + 1e-6);
    } finally {
      disposeModel(base);
    }
  }, 60_000);
});
