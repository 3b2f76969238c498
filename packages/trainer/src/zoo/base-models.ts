// Named base models, pretrained deterministically on the synthetic corpus the first time they are
// used and cached as checkpoints (default .finetrack/models/<name>).
import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import type { LoadedModel, TransformerConfig } from "../types";
import { transformerConfig } from "../models/create-model";
import { BYTE_VOCAB_SIZE } from "../tokenizer/byte-tokenizer";
import { loadCheckpoint, saveCheckpoint } from "../checkpoint/checkpoint-io";
import { pretrain } from "../pretrain/pretrain";
import { DEFAULT_CORPUS_NAME, generateCorpus } from "./corpus";
import { countParams, disposeModel } from "../models/create-model";
import { acquireBuildLock, type LockOwner } from "./build-lock";

export interface BaseModelSpec {
  name: string;
  config: TransformerConfig;
  /** Parameter count (computed from the config). */
  params: number;
  pretrainSteps: number;
  batchSize: number;
  learningRate: number;
  corpusChars: number;
  seed: number;
  description: string;
}

function spec(name: string, c: Omit<TransformerConfig, "family" | "ffnWidth" | "vocabSize">, steps: number, batchSize: number, learningRate: number, description: string): BaseModelSpec {
  const config = transformerConfig({ vocabSize: BYTE_VOCAB_SIZE, ...c });
  const { width: d, ffnWidth: f, layers, contextLength: t } = config;
  const params = BYTE_VOCAB_SIZE * d * 2 + BYTE_VOCAB_SIZE + t * d + layers * (4 * d * d + 4 * d + 2 * d * f + f + d + 4 * d) + 2 * d;
  return { name, config, params, pretrainSteps: steps, batchSize, learningRate, corpusChars: 400_000, seed: 1234, description };
}

const ZOO: BaseModelSpec[] = [
  spec("tiny", { layers: 2, width: 64, heads: 4, contextLength: 64 }, 300, 16, 3e-3, "2 layers, width 64, context 64 (~0.14M params)"),
  // Step counts keep a first-use build within minutes on 2 wasm cores (tiny ~1, small ~3, medium ~5 unloaded).
  spec("small", { layers: 4, width: 96, heads: 4, contextLength: 96 }, 200, 12, 2e-3, "4 layers, width 96, context 96 (~0.5M params)"),
  spec("medium", { layers: 6, width: 128, heads: 8, contextLength: 128 }, 150, 8, 1.5e-3, "6 layers, width 128, context 128 (~1.3M params)"),
];

export function listBaseModels(): BaseModelSpec[] {
  return ZOO.map((s) => structuredClone(s));
}

function specFor(name: string): BaseModelSpec {
  const s = ZOO.find((z) => z.name === name);
  if (!s) throw new Error(`base model '${name}' is not in the zoo (${ZOO.map((z) => z.name).join(", ")}); pass a checkpoint instead`);
  return s;
}

const exists = (p: string) => stat(p).then(() => true, () => false);

async function cachedMatches(dir: string, s: BaseModelSpec): Promise<LoadedModel | null> {
  if (!(await exists(path.join(dir, "model.json")))) return null;
  const m = await loadCheckpoint(dir);
  // Architecture and seed identify a zoo model; a cache pretrained for a different number of steps
  // (an older spec) is still that model and is kept rather than rebuilt.
  const ok = JSON.stringify(m.config) === JSON.stringify(s.config) && m.metadata.zooSeed === s.seed && m.pretraining !== undefined;
  if (ok) return m;
  disposeModel(m);
  return null;
}

export interface LoadBaseModelOptions {
  cacheDir?: string;
  onProgress?: (step: number, total: number, loss: number) => void;
  /** Told when another process is building this model and this one waits for it. */
  onWait?: (name: string, owner: LockOwner | null) => void;
}

/** Loads a zoo model from `cacheDir` or builds (pretrains) and caches it on first use. Concurrent
 *  processes (sweep workers) wait for the one that holds the build lock. */
export function loadBaseModel(name: string, opts: LoadBaseModelOptions = {}): Promise<LoadedModel> {
  return ensureBaseModel(specFor(name), opts);
}

/** Without an onWait, a waiting process still says what it waits for (never a silent hang). */
function sayWaiting(name: string, owner: LockOwner | null) {
  const who = owner ? `pid ${owner.pid} on ${owner.host}, since ${owner.startedAt}` : "another process";
  process.stderr.write(`waiting for base model '${name}': ${who} is building it (its lock is taken over if that process ends)\n`);
}

/** loadBaseModel for an explicit spec (tests use a micro spec). */
export async function ensureBaseModel(s: BaseModelSpec, opts: LoadBaseModelOptions = {}): Promise<LoadedModel> {
  const name = s.name;
  const root = path.resolve(opts.cacheDir ?? path.join(process.cwd(), ".finetrack", "models"));
  const dir = path.join(root, name);
  const lock = `${dir}.lock`;
  await mkdir(root, { recursive: true });
  const cached = await cachedMatches(dir, s);
  if (cached) return cached;
  // The lock names its pid: a waiter takes it over once that process is gone.
  const onWait = opts.onWait ?? sayWaiting;
  const release = await acquireBuildLock(lock, { onWait: (owner) => onWait(name, owner) });
  try {
    const again = await cachedMatches(dir, s);
    if (again) return again;
    const { model } = await pretrain({
      name: s.name,
      config: s.config,
      corpus: generateCorpus(s.seed, s.corpusChars),
      corpusName: DEFAULT_CORPUS_NAME,
      steps: s.pretrainSteps,
      batchSize: s.batchSize,
      learningRate: s.learningRate,
      seed: s.seed,
      onStep: opts.onProgress ? (m) => opts.onProgress!(m.step, m.total_steps, m.loss) : undefined,
    });
    model.metadata = { ...model.metadata, zoo: true, zooSeed: s.seed, params: countParams(model).total, description: s.description };
    await saveCheckpoint(model, dir);
    return model;
  } finally {
    await release();
  }
}
