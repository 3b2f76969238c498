import type { TrainConfig } from "../config/train-config";
import { createAugmenter, type ParaphraseTable } from "../data/augment-examples";
import type { DatasetRecord } from "../data/dataset-record";
import { encodeExamples } from "../data/encode-examples";
import { featurizeText } from "../data/featurize-text";
import { PARAPHRASE_TEMPLATES, PROMPT_TEMPLATES, resolveTemplate } from "../data/format-example";
import { hashDataset } from "../data/hash-dataset";
import { loadDataset } from "../data/load-dataset";
import { splitDataset, type DatasetSplits } from "../data/split-dataset";
import type { Example, LmExample, ModelConfig } from "../types";

/** What a run records about its dataset (the first-class dataset fields of the run). */
export interface DatasetInfo {
  name: string;
  contentHash: string;
  trainSize: number;
  validationSize: number;
  testSize: number;
  source: string;
  description: string;
}

export interface PreparedData {
  info: DatasetInfo;
  records: DatasetSplits<DatasetRecord>;
  train: Example[];
  validation: Example[];
  test: Example[];
  /** The per-batch augmentation hook, when the config asks for augmentation. */
  augment?: (batch: Example[], rng: () => number) => Example[];
  /** Class names by index (MLP family). */
  labels?: string[];
  truncated: number;
}

/** Loads and splits a dataset by the config's seed. Separate from encoding so k-fold can re-split. */
export function loadSplitRecords(config: TrainConfig): { name: string; source: string; records: DatasetSplits<DatasetRecord>; all: DatasetRecord[] } {
  const ds = loadDataset(config.dataset);
  const all = config.max_samples ? ds.records.slice(0, config.max_samples) : ds.records;
  const records = splitDataset(all, { seed: config.seed, validation: config.val_size, test: config.test_size });
  return { name: ds.name, source: ds.source, records, all };
}

/** Turns split records into model examples for the model family: byte tokens with a response-only
 *  loss mask for transformers, hashed n-gram features and label ids for MLP classifiers. */
export function encodeSplits(
  config: TrainConfig,
  model: ModelConfig,
  dataset: { name: string; source: string; records: DatasetSplits<DatasetRecord>; all: DatasetRecord[] },
): PreparedData {
  const { records } = dataset;
  const info: DatasetInfo = {
    name: dataset.name,
    contentHash: hashDataset(dataset.all),
    trainSize: records.train.length,
    validationSize: records.validation.length,
    testSize: records.test.length,
    source: dataset.source,
    description: `${dataset.all[0].kind} records, split by seed ${config.seed}`,
  };
  if (model.family === "mlp") return encodeForClassifier(records, model.inputDim, model.numClasses, info);

  const template = resolveTemplate(config.template);
  const contextLength = Math.min(config.cutoff_len ?? model.contextLength, model.contextLength);
  const enc = (rs: DatasetRecord[]) => encodeExamples(rs, { template, contextLength });
  const train = enc(records.train);
  const validation = enc(records.validation);
  const test = enc(records.test);
  let augment: PreparedData["augment"];
  if (config.augmentation) {
    let table: ParaphraseTable | undefined;
    if (config.augmentation.methods.includes("template_paraphrase") && records.train.every((r) => r.kind !== "text")) {
      table = new WeakMap();
      const alternatives = PARAPHRASE_TEMPLATES.filter((n) => n !== template.name).map((n) =>
        encodeExamples(records.train, { template: PROMPT_TEMPLATES[n], contextLength }).examples,
      );
      train.examples.forEach((ex, i) => table!.set(ex, alternatives.map((alt) => alt[i])));
    }
    augment = createAugmenter(config.augmentation, table);
  }
  return {
    info,
    records,
    train: train.examples,
    validation: validation.examples,
    test: test.examples,
    augment,
    truncated: train.truncated + validation.truncated + test.truncated,
  };
}

function encodeForClassifier(records: DatasetSplits<DatasetRecord>, inputDim: number, numClasses: number, info: DatasetInfo): PreparedData {
  const all = [...records.train, ...records.validation, ...records.test];
  if (all.some((r) => r.kind !== "classification")) {
    throw new Error(`dataset '${info.name}': the MLP classifier family needs text + label records, got ${all[0].kind} records; use a transformer base model`);
  }
  const labels = [...new Set(all.map((r) => (r as Extract<DatasetRecord, { kind: "classification" }>).label))].sort();
  if (labels.length > numClasses) {
    throw new Error(`dataset '${info.name}' has ${labels.length} labels (${labels.join(", ")}) but the base model has ${numClasses} classes`);
  }
  const enc = (rs: DatasetRecord[]): Example[] =>
    rs.map((r) => {
      const c = r as Extract<DatasetRecord, { kind: "classification" }>;
      return { features: featurizeText(c.text, inputDim), label: labels.indexOf(c.label) };
    });
  return { info, records, train: enc(records.train), validation: enc(records.validation), test: enc(records.test), labels, truncated: 0 };
}

export function isLmExample(e: Example): e is LmExample {
  return "input" in e;
}
