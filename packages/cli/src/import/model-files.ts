import { join } from "node:path";
import { normalizeMethod, recognizeRunFields } from "@finetrack/contracts";
import { isRecord, readOptionalJson, scalarsOf } from "./read-files";
import type { SourceError, SourceRun } from "./types";

/** The `config.json` fields that name a base model. */
const MODEL_FIELDS = ["_name_or_path", "model_type", "architectures", "torch_dtype", "dtype", "vocab_size", "num_hidden_layers", "hidden_size", "transformers_version"];
/** The `adapter_config.json` fields worth comparing runs by. */
const ADAPTER_FIELDS = ["peft_type", "task_type", "r", "lora_alpha", "lora_dropout", "target_modules", "bias", "use_dora", "use_rslora", "base_model_name_or_path", "modules_to_save", "peft_version"];

export type ModelFiles = { modelConfig?: Record<string, unknown>; adapter?: Record<string, unknown> };

/**
 * `config.json` (base model) and `adapter_config.json` (PEFT method and LoRA settings) from the
 * first of `dirs` that has each: an output folder's own, else its latest checkpoint's.
 */
export function readModelFiles(dirs: string[], run: Pick<SourceRun, "files" | "problems">): ModelFiles {
  const out: ModelFiles = {};
  const onProblem = (e: SourceError) => run.problems.push(e.toProblem());
  for (const dir of dirs) {
    if (!out.modelConfig) {
      const config = readOptionalJson(join(dir, "config.json"), onProblem);
      if (config && ("model_type" in config || "architectures" in config || "_name_or_path" in config)) {
        out.modelConfig = pick(config, MODEL_FIELDS);
        run.files.push(join(dir, "config.json"));
      }
    }
    if (!out.adapter) {
      const adapter = readOptionalJson(join(dir, "adapter_config.json"), onProblem);
      if (adapter) {
        out.adapter = pick(adapter, ADAPTER_FIELDS);
        run.files.push(join(dir, "adapter_config.json"));
      }
    }
  }
  return out;
}

function pick(obj: Record<string, unknown>, fields: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (obj[f] !== undefined && obj[f] !== null && obj[f] !== "") out[f] = obj[f];
  return out;
}

/**
 * Base model, method and dataset through the shared alias table, with the model files as
 * fallbacks: a model trained from a local folder has an empty `_name_or_path`, so the
 * architecture or model type is the best name left.
 */
export function recognizeFields(config: Record<string, unknown>, files: ModelFiles): Pick<SourceRun, "baseModel" | "method" | "dataset"> {
  const fields = recognizeRunFields({ ...config, ...(files.modelConfig ? { _name_or_path: files.modelConfig._name_or_path } : {}), ...(files.adapter ? { peft_config: files.adapter } : {}) });
  const architectures = files.modelConfig?.architectures;
  const baseModel =
    fields.baseModel ?? (Array.isArray(architectures) && typeof architectures[0] === "string" ? architectures[0] : undefined) ?? (typeof files.modelConfig?.model_type === "string" ? files.modelConfig.model_type : undefined);
  let method = fields.method;
  const bits = config.quantization_bit ?? config.load_in_4bit;
  if (method === "lora" && (bits === 4 || bits === 8 || bits === true)) method = normalizeMethod("qlora");
  return { baseModel, method, dataset: fields.dataset };
}

/** `all_results.json`, `train_results.json`, `eval_results.json`: final numbers, for the summary. */
export function readResults(dir: string, run: Pick<SourceRun, "files" | "problems">): Record<string, unknown> {
  const summary: Record<string, unknown> = {};
  for (const name of ["train_results.json", "eval_results.json", "all_results.json"]) {
    const file = join(dir, name);
    const results = readOptionalJson(file, (e) => run.problems.push(e.toProblem()));
    if (results && isRecord(results)) {
      Object.assign(summary, scalarsOf(results));
      run.files.push(file);
    }
  }
  return summary;
}

/** The config part of the model files, under prefixes the alias table reads through. */
export function modelConfigEntries(files: ModelFiles): Record<string, unknown> {
  return { ...(files.modelConfig ? { model_config: files.modelConfig } : {}), ...(files.adapter ? { peft_config: files.adapter } : {}) };
}
