import type { TrainConfig } from "../config/train-config";
import type { HyperParams, LoraTargetName, MethodConfig } from "../types";

/** The method part of a config, as trainer-core's fineTune takes it. */
export function methodFromConfig(c: TrainConfig): MethodConfig {
  return {
    finetuning_type: c.finetuning_type,
    freeze_trainable_layers: c.freeze_trainable_layers,
    lora_rank: c.lora_rank,
    lora_alpha: c.lora_alpha,
    lora_dropout: c.lora_dropout,
    lora_target: c.lora_target as LoraTargetName[] | "all",
    use_rslora: c.use_rslora,
    quantization_bit: c.quantization_bit,
    double_quantization: c.double_quantization,
    adapter_size: c.adapter_size,
    adapter_len: c.adapter_len,
    adapter_layers: c.adapter_layers,
  };
}

/** The optimization and regularization part of a config. */
export function hyperFromConfig(c: TrainConfig): Partial<HyperParams> {
  return {
    learning_rate: c.learning_rate,
    optim: c.optim,
    momentum: c.momentum,
    adam_beta1: c.adam_beta1,
    adam_beta2: c.adam_beta2,
    adam_epsilon: c.adam_epsilon,
    weight_decay: c.weight_decay,
    lr_scheduler_type: c.lr_scheduler_type,
    warmup_ratio: c.warmup_ratio,
    max_grad_norm: c.max_grad_norm,
    per_device_train_batch_size: c.per_device_train_batch_size,
    per_device_eval_batch_size: c.per_device_eval_batch_size,
    num_train_epochs: c.num_train_epochs,
    max_steps: c.max_steps,
    eval_steps: c.eval_steps,
    dropout: c.dropout,
    l1: c.l1,
    l2: c.l2,
    early_stopping_patience: c.early_stopping_patience,
    early_stopping_min_delta: c.early_stopping_min_delta,
    restore_best: c.restore_best,
    seed: c.seed,
  };
}
