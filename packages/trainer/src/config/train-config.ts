import { z } from "zod";
import { CompressSection } from "./compress-config";

const positiveInt = z.number().int().positive();
const nonNegative = z.number().min(0);
const fraction = z.number().min(0).max(1);

export const AugmentationConfig = z.strictObject({
  methods: z.array(z.enum(["token_dropout", "span_masking", "template_paraphrase"])).min(1),
  rate: fraction.default(0.1),
  span_length: positiveInt.default(3),
});
export type AugmentationConfig = z.infer<typeof AugmentationConfig>;

export const KfoldConfig = z.strictObject({
  k: z.number().int().min(2).max(20),
  /** Evaluate the average prediction of the k fold models on the held-out test split. */
  ensemble: z.boolean().default(false),
});
export type KfoldConfig = z.infer<typeof KfoldConfig>;

/** A run's whole configuration, with LLaMA-Factory / PEFT names. Every key lands in the run's config. */
export const TrainConfig = z.strictObject({
  // tracking
  project: z.string().min(1).default("default"),
  run_name: z.string().min(1).optional(),
  group: z.string().min(1).optional(),
  tags: z.array(z.string()).default([]),
  notes: z.string().optional(),
  seed: z.number().int().min(0).default(42),
  backend: z.enum(["tensorflow", "wasm", "cpu"]).optional(),
  /** Where the fine-tuned checkpoint goes (`<output_dir>/<run id>`, the run's "model" artifact), so
   *  `finetrack compress --from <run id>` works after any `finetrack train`. "" saves none. */
  output_dir: z.string().default(".finetrack/checkpoints"),

  // model and data
  base_model: z.string().min(1),
  dataset: z.string().min(1),
  template: z.string().default("compact"),
  val_size: z.number().positive().default(0.1),
  test_size: z.number().min(0).default(0.1),
  max_samples: positiveInt.optional(),
  /** Longest example in tokens (default: the model's context). */
  cutoff_len: positiveInt.optional(),

  // method
  finetuning_type: z.enum(["full", "freeze", "lora", "qlora", "adapter", "llama_adapter", "ia3"]).default("lora"),
  freeze_trainable_layers: positiveInt.default(1),
  lora_rank: positiveInt.default(8),
  lora_alpha: z.number().positive().default(16),
  lora_dropout: z.number().min(0).lt(1).default(0),
  lora_target: z.union([z.literal("all"), z.array(z.enum(["q", "k", "v", "o", "up", "down", "head", "fc"])).min(1)]).default(["q", "v"]),
  use_rslora: z.boolean().default(false),
  quantization_bit: z.union([z.literal(4), z.literal(8)]).default(4),
  double_quantization: z.boolean().default(false),
  adapter_size: positiveInt.optional(),
  adapter_len: positiveInt.default(10),
  adapter_layers: positiveInt.optional(),

  // optimization
  learning_rate: z.number().positive().default(1e-3),
  optim: z.enum(["adamw", "adam", "sgd"]).default("adamw"),
  momentum: z.number().min(0).lt(1).default(0.9),
  adam_beta1: z.number().min(0).lt(1).default(0.9),
  adam_beta2: z.number().min(0).lt(1).default(0.999),
  adam_epsilon: z.number().positive().default(1e-8),
  weight_decay: nonNegative.default(0),
  lr_scheduler_type: z.enum(["constant", "linear", "cosine"]).default("linear"),
  warmup_ratio: fraction.default(0),
  max_grad_norm: nonNegative.default(1),
  per_device_train_batch_size: positiveInt.default(16),
  per_device_eval_batch_size: positiveInt.default(64),
  num_train_epochs: z.number().positive().default(3),
  max_steps: z.number().int().min(0).default(0),
  eval_steps: z.number().int().min(0).default(0),

  // overfitting controls
  dropout: z.number().min(0).lt(1).default(0),
  l1: nonNegative.default(0),
  l2: nonNegative.default(0),
  early_stopping_patience: positiveInt.optional(),
  early_stopping_min_delta: nonNegative.default(0),
  restore_best: z.boolean().default(true),
  augmentation: AugmentationConfig.optional(),
  kfold: KfoldConfig.optional(),
  /** Compression steps run on the fine-tuned model, each logged as a child run (compress/compress-config.ts). */
  compress: CompressSection.optional(),
});
export type TrainConfig = z.infer<typeof TrainConfig>;
/** What a user writes: defaults may be omitted. */
export type TrainConfigInput = z.input<typeof TrainConfig>;

/** Accepted spellings of the same key (LLaMA-Factory, PEFT, HF Trainer), mapped to ours. */
export const CONFIG_ALIASES: Record<string, string> = {
  model_name_or_path: "base_model",
  model: "base_model",
  name: "run_name",
  lora_r: "lora_rank",
  target_modules: "lora_target",
  lr: "learning_rate",
  batch_size: "per_device_train_batch_size",
  epochs: "num_train_epochs",
  num_epochs: "num_train_epochs",
  scheduler: "lr_scheduler_type",
  optimizer: "optim",
};
