// The public contract of the trainer core. trainer-data (datasets, config, CLI, SDK glue) builds
// on these types, so changes here must stay backwards compatible.
import type * as tf from "@tensorflow/tfjs-core";

/** Causal-LM example: token ids. `target[i]` is the token that follows `input[i]` (already shifted).
 *  `lossMask[i] = 1` where the loss counts (response tokens); omitted = every position counts. */
export type LmExample = { input: number[]; target: number[]; lossMask?: number[] };
/** Classifier example for the MLP family. */
export type ClassifierExample = { features: number[]; label: number };
export type Example = LmExample | ClassifierExample;

export type FinetuningType = "full" | "freeze" | "lora" | "qlora" | "adapter" | "llama_adapter" | "ia3";
export const FINETUNING_TYPES: readonly FinetuningType[] = ["full", "freeze", "lora", "qlora", "adapter", "llama_adapter", "ia3"];

/** Projection names a LoRA target may use; "all" targets every linear layer of the model. */
export type LoraTargetName = "q" | "k" | "v" | "o" | "up" | "down" | "head" | "fc";

/** Method configuration with PEFT / LLaMA-Factory names. Fields irrelevant to the method are ignored. */
export interface MethodConfig {
  finetuning_type: FinetuningType;
  /** freeze: number of top transformer blocks (or MLP hidden layers) that train; the head always trains. Default 1. */
  freeze_trainable_layers?: number;
  /** lora / qlora: rank r (default 8), alpha (default 16), dropout on the LoRA input (default 0). */
  lora_rank?: number;
  lora_alpha?: number;
  lora_dropout?: number;
  /** Projection names (q,k,v,o,up,down; fc for MLP hidden layers) or "all". Default ["q","v"] (MLP: "all"). */
  lora_target?: LoraTargetName[] | "all" | string;
  /** scaling alpha/sqrt(r) instead of alpha/r. */
  use_rslora?: boolean;
  /** qlora: 4 = NF4 blockwise (block 64, absmax), 8 = int8 blockwise absmax. Default 4. */
  quantization_bit?: 4 | 8;
  /** qlora: quantize the fp32 absmax constants to 8 bits (blocks of 256). */
  double_quantization?: boolean;
  /** adapter: bottleneck width (default max(1, width/16)). */
  adapter_size?: number;
  /** llama_adapter: number of learnable prompt tokens (default 10) in the top `adapter_layers` blocks (default all). */
  adapter_len?: number;
  adapter_layers?: number;
}

export type OptimizerName = "adamw" | "adam" | "sgd";
export type LrSchedulerType = "constant" | "linear" | "cosine";

export interface HyperParams {
  learning_rate: number;
  optim: OptimizerName;
  /** sgd momentum (default 0.9); adam betas. */
  momentum: number;
  adam_beta1: number;
  adam_beta2: number;
  adam_epsilon: number;
  /** Decoupled for adamw; for adam / sgd it is added to the gradient (classic L2 style). */
  weight_decay: number;
  lr_scheduler_type: LrSchedulerType;
  warmup_ratio: number;
  /** Global-norm clipping; 0 disables. */
  max_grad_norm: number;
  per_device_train_batch_size: number;
  per_device_eval_batch_size: number;
  num_train_epochs: number;
  /** Stop after this many optimizer steps if > 0 (overrides epochs). */
  max_steps: number;
  /** Evaluate every N steps (0 = once per epoch). */
  eval_steps: number;
  /** Dropout in the model (attention output, FFN, MLP hidden) during training. */
  dropout: number;
  /** Penalties on the trainable weights (matrices only), added to the loss. */
  l1: number;
  l2: number;
  /** Stop when val/loss has not improved by more than min_delta for this many evaluations. Undefined = off. */
  early_stopping_patience?: number;
  early_stopping_min_delta: number;
  /** Restore the weights of the best evaluation at the end (default true). */
  restore_best: boolean;
  seed: number;
  /** Called on every training batch; must be deterministic given rng. */
  augment?: (batch: Example[], rng: () => number) => Example[];
}

export interface EvalMetrics {
  step: number;
  epoch: number;
  "train/loss": number;
  "val/loss": number;
  "val/perplexity": number;
  "val/accuracy": number;
  lr: number;
  grad_norm: number;
  tokens_per_sec: number;
}

export interface StepMetrics {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
  grad_norm: number;
  tokens_per_sec: number;
  /** Total optimizer steps planned (for progress bars / ETA). */
  total_steps: number;
}

export type StopReason = "completed" | "max_steps" | "early_stopping" | "aborted" | "non_finite_loss";

export type ModelFamily = "transformer" | "mlp";

export interface TransformerConfig {
  family: "transformer";
  vocabSize: number;
  contextLength: number;
  layers: number;
  width: number;
  heads: number;
  /** FFN hidden width; default 4·width. */
  ffnWidth: number;
}

export interface MlpConfig {
  family: "mlp";
  inputDim: number;
  hidden: number[];
  numClasses: number;
}

export type ModelConfig = TransformerConfig | MlpConfig;

/** What a base model went through before fine-tuning. */
export interface PretrainRecord {
  corpus: string;
  corpusChars: number;
  steps: number;
  batchSize: number;
  learningRate: number;
  finalLoss: number;
  tokensSeen: number;
  seed: number;
  wallTimeMs: number;
  backend: string;
}

/** The PEFT state applied to a model (null for none). Mutated by applyMethod / merge / unmerge. */
export interface AppliedMethod {
  config: MethodConfig;
  /** Names of every trainable variable after the method is applied. */
  trainable: string[];
  /** qlora: bytes of the quantized frozen base (codes + constants). */
  quantizedBytes?: number;
  merged: boolean;
}

/** A blockwise-quantized frozen weight matrix (QLoRA storage). */
export interface QuantizedWeight {
  bits: 4 | 8;
  shape: number[];
  blockSize: number;
  /** 4-bit: NF4 indices packed two per byte (low nibble first); 8-bit: int8 codes stored as uint8 (two's complement). */
  codes: Uint8Array;
  /** One absmax per block (fp32), or null when double quantization holds them. */
  absmax: Float32Array | null;
  /** Double quantization of the absmax constants: int8 codes, one fp32 scale per 256 constants, and their mean. */
  doubleQuant: { codes: Int8Array; scales: Float32Array; offset: number; blockSize: number } | null;
}

/** A model in memory. Base weights are `tf.Variable`s keyed by stable layer names
 *  (e.g. "blocks.0.attn.q.weight", "mlp.0.weight") so compression and checkpoints can address them. */
export interface LoadedModel {
  name: string;
  config: ModelConfig;
  /** Base weights, by name. Frozen base weights are never written by the optimizer. */
  weights: Map<string, tf.Variable>;
  /** Extra PEFT parameters (lora A/B, adapters, prompts, gates), by name. */
  extra: Map<string, tf.Variable>;
  method: AppliedMethod | null;
  /** qlora: base weights stored quantized instead of in `weights` (same names), dequantized on the fly. */
  quantized?: Map<string, QuantizedWeight>;
  pretraining?: PretrainRecord;
  /** Free-form metadata that is saved in checkpoints. */
  metadata: Record<string, unknown>;
  /** In-memory hooks on every linear layer (compression: fake quantization, activation observers,
   *  pruning masks). Never saved, not copied by cloneModel. */
  transforms?: LinearTransforms;
}

/** Applied by the forward pass to each linear layer `name` (e.g. "blocks.0.attn.q"), inside autodiff. */
export interface LinearTransforms {
  /** The layer's input x [n, in] before the matMul. */
  input?(layer: string, x: tf.Tensor2D): tf.Tensor2D;
  /** The layer's weight [in, out] as the matMul sees it. */
  weight?(layer: string, w: tf.Tensor2D): tf.Tensor2D;
}

export interface FineTuneOptions {
  /** Zoo name (built and cached on first use) or an in-memory model (it is not mutated: a copy is trained). */
  baseModel: string | LoadedModel;
  method: MethodConfig;
  train: Example[];
  validation: Example[];
  hyper: Partial<HyperParams>;
  /** Where zoo models are cached (default `<cwd>/.finetrack/models`). */
  cacheDir?: string;
  onEval?(m: EvalMetrics): void;
  onStep?(m: StepMetrics): void;
  signal?: AbortSignal;
}

export interface FineTuneResult {
  model: LoadedModel;
  bestValLoss: number;
  bestStep: number;
  finalTrainLoss: number;
  stopReason: StopReason;
  trainableParams: number;
  totalParams: number;
  /** Bytes to store the trained model (fp32, quantized base counted at its quantized size). */
  modelBytes: number;
  /** Bytes of the trainable parameters only (fp32). */
  trainableBytes: number;
  wallTimeMs: number;
  steps: number;
  history: EvalMetrics[];
  backend: string;
}

export interface EvalResult {
  loss: number;
  perplexity: number;
  accuracy: number;
  tokens: number;
}
