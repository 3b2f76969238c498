// Tiny fine-tuned models and data shared by the compression tests (seconds to build).
import type { ClassifierExample, LmExample, LoadedModel } from "../src/types";
import { createModel, transformerConfig } from "../src/models/create-model";
import { fineTuneModel } from "../src/train/fine-tune";
import { createRng } from "../src/models/rng";
import { BYTE_VOCAB_SIZE } from "../src/tokenizer/byte-tokenizer";

/** 3 classes given by the argmax of a fixed projection of 8 Gaussian features. */
export function classifierData(n: number, seed: number): ClassifierExample[] {
  const proj = [
    [1, -1, 0.5, 0, 0.3, -0.2, 0, 1],
    [-0.5, 1, 1, -1, 0, 0.4, 0.2, -1],
    [0, 0.2, -1, 1, -0.6, 1, -0.5, 0],
  ];
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const features = Array.from({ length: 8 }, () => (rng() + rng() + rng() - 1.5) * 2);
    const scores = proj.map((row) => row.reduce((s, w, i) => s + w * features[i], 0));
    return { features, label: scores.indexOf(Math.max(...scores)) };
  });
}

/** Counting sequences "abcd…" from a random start letter: easy to learn, gives a clear val loss. */
export function lmData(n: number, seed: number, len = 10): LmExample[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const start = Math.floor(rng() * 16);
    const bytes = Array.from({ length: len + 1 }, (_, i) => 97 + ((start + i) % 26));
    return { input: bytes.slice(0, len), target: bytes.slice(1) };
  });
}

export interface Fixture {
  model: LoadedModel;
  train: ClassifierExample[] | LmExample[];
  validation: ClassifierExample[] | LmExample[];
}

export async function fineTunedClassifier(hidden = [32, 32], steps = 150): Promise<Fixture> {
  const base = createModel("tiny-mlp", { family: "mlp", inputDim: 8, hidden, numClasses: 3 }, 1);
  const train = classifierData(512, 11);
  const validation = classifierData(256, 12);
  const res = await fineTuneModel({ baseModel: base, method: { finetuning_type: "full" }, train, validation, hyper: { max_steps: steps, learning_rate: 0.01, per_device_train_batch_size: 32, eval_steps: steps, seed: 3 } });
  return { model: res.model, train, validation };
}

export async function fineTunedLm(steps = 120): Promise<Fixture> {
  const base = createModel("tiny-lm", transformerConfig({ vocabSize: BYTE_VOCAB_SIZE, contextLength: 12, layers: 1, width: 32, heads: 4 }), 2);
  const train = lmData(256, 21);
  const validation = lmData(64, 22);
  const res = await fineTuneModel({ baseModel: base, method: { finetuning_type: "full" }, train, validation, hyper: { max_steps: steps, learning_rate: 0.01, per_device_train_batch_size: 16, eval_steps: steps, seed: 4 } });
  return { model: res.model, train, validation };
}
