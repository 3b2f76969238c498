import { init } from "@finetrack/sdk";
import { initBackend } from "../backend";
import type { TrainConfig } from "../config/train-config";
import { countParams, disposeModel } from "../models/create-model";
import { encodeSplits, loadSplitRecords } from "../prepare/prepare-data";
import { defaultRunName, loadBase, runTraining, type RunTrainingOptions, type RunTrainingResult } from "./run-training";
import type { LoadedModel } from "../types";
import { evaluateEnsemble } from "../kfold/evaluate-ensemble";
import { kfoldSplits, meanStd } from "../kfold/kfold-splits";

export interface KfoldResult {
  /** The cross-validation summary run; every fold run has it as parent and shares its group. */
  parentRunId: string;
  group: string;
  folds: RunTrainingResult[];
  summary: Record<string, number | string>;
}

const CV_KEYS = ["best_val_loss", "final_val_accuracy", "test_loss", "test_accuracy", "final_train_loss"] as const;

/** k-fold cross-validation: the test split is held out by the seed, the rest is cut into k folds and
 *  each fold is one run. A summary run (tag "cv-summary") in the same group is the parent of the
 *  folds and holds `cv_<metric>_mean` / `cv_<metric>_std` and, with `ensemble`, the metrics of the
 *  k models averaged together on the test split. */
export async function runKfold(config: TrainConfig, opts: Omit<RunTrainingOptions, "data" | "parentRunId" | "keepModel"> = {}): Promise<KfoldResult> {
  if (!config.kfold) throw new Error("kfold: expected a kfold section with k >= 2 in the config");
  const { k, ensemble } = config.kfold;
  const backend = await initBackend(config.backend);
  const base = opts.base ?? (await loadBase(config, opts));
  const loaded = loadSplitRecords({ ...config, val_size: 0, test_size: config.test_size });
  const pool = [...loaded.records.train];
  const test = loaded.records.test;
  const folds = kfoldSplits(pool, k, config.seed);
  const name = config.run_name ?? defaultRunName(config);
  const group = config.group ?? `${name}-cv${k}-${Date.now().toString(36)}`;
  const poolInfo = encodeSplits(config, base.config, { ...loaded, records: { train: pool, validation: [], test } }).info;
  const parent = await init({
    ...opts.tracking,
    project: config.project,
    name: `${name}-cv`,
    group,
    tags: [...config.tags, "kfold", "cv-summary"],
    notes: config.notes,
    seed: config.seed,
    config: { ...config, kfold: { k, ensemble } },
    baseModel: base.name,
    baseModelParams: countParams(base).total,
    dataset: { ...poolInfo, trainSize: pool.length, validationSize: 0 },
    method: config.finetuning_type,
    system: { backend },
  });
  const results: RunTrainingResult[] = [];
  const models: LoadedModel[] = [];
  try {
    for (let i = 0; i < k; i++) {
      opts.onStatus?.(`fold ${i + 1}/${k}`);
      const foldConfig: TrainConfig = { ...config, group, run_name: `${name}-fold${i}`, tags: [...config.tags, "kfold", `fold-${i}`] };
      const data = encodeSplits(foldConfig, base.config, { ...loaded, records: { train: folds[i].train, validation: folds[i].validation, test } });
      const r = await runTraining(foldConfig, { ...opts, base, data, parentRunId: parent.id, keepModel: ensemble, extraConfig: { fold: i, k } });
      results.push(r);
      if (r.result.model) models.push(r.result.model);
      for (const key of CV_KEYS) {
        const v = r.summary[key];
        if (typeof v === "number") parent.log({ [`cv/${key}`]: v }, { step: i });
      }
    }
    const summary: Record<string, number | string> = { folds: k };
    for (const key of CV_KEYS) {
      const values = results.map((r) => r.summary[key]).filter((v): v is number => typeof v === "number");
      if (values.length !== k) continue;
      const { mean, std } = meanStd(values);
      summary[`cv_${key}_mean`] = mean;
      summary[`cv_${key}_std`] = std;
    }
    if (ensemble && test.length) {
      const testExamples = results[0].data.test;
      const e = evaluateEnsemble(models, testExamples, config.per_device_eval_batch_size);
      Object.assign(summary, { ensemble_test_loss: e.loss, ensemble_test_accuracy: e.accuracy, ensemble_test_perplexity: e.perplexity });
    }
    await parent.finish({ status: "finished", summary });
    return { parentRunId: parent.id, group, folds: results, summary };
  } catch (err) {
    await parent.finish({ status: "failed", error: `fold ${results.length}: ${err instanceof Error ? err.message : String(err)}` });
    throw err;
  } finally {
    models.forEach(disposeModel);
    if (!opts.base) disposeModel(base);
  }
}
