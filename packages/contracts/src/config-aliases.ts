/**
 * One name per factor: the spellings real trainers use for the same thing (Hugging Face
 * `TrainingArguments`/`model.config`, PEFT's `adapter_config.json`, LLaMA-Factory YAML, MLflow
 * params, our own SDK). Every place that reads a run's config — the MLflow-compatible API, the
 * importers, the Python client, the factor analysis — recognises fields through this table, so a
 * key means the same everywhere. A project can extend it (`extendAliases`). Documented in
 * ARCHITECTURE.md ("Config aliases").
 */

/** Canonical factor name → the config keys (case-insensitive, after a dotted prefix) that mean it. */
export const CONFIG_ALIASES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  baseModel: ["baseModel", "base_model", "model_name_or_path", "_name_or_path", "model_name", "model_id", "base_model_name_or_path", "pretrained_model_name_or_path"],
  method: ["method", "finetuning_type", "peft_type", "finetune_method", "tuning_method"],
  dataset: ["dataset", "dataset_name", "data_path", "train_file", "dataset_dir", "train_dataset"],
  lora_rank: ["lora_rank", "lora_r", "r"],
  lora_alpha: ["lora_alpha", "alpha"],
  lora_dropout: ["lora_dropout"],
  learning_rate: ["learning_rate", "lr"],
  batch_size: ["per_device_train_batch_size", "batch_size", "train_batch_size"],
  epochs: ["num_train_epochs", "epochs", "num_epochs"],
  seed: ["seed", "random_seed"],
});

/** The first-class run fields among the canonical names. */
export const FIRST_CLASS_FIELDS = ["baseModel", "method", "dataset"] as const;
export type FirstClassField = (typeof FIRST_CLASS_FIELDS)[number];

export type AliasTable = Readonly<Record<string, readonly string[]>>;

/** The table with a project's own additions (canonical → extra spellings). */
export function extendAliases(extra: Record<string, readonly string[]>, base: AliasTable = CONFIG_ALIASES): AliasTable {
  const out: Record<string, string[]> = Object.create(null);
  for (const [k, v] of Object.entries(base)) out[k] = [...v];
  for (const [k, v] of Object.entries(extra)) out[k] = [...(out[k] ?? [k]), ...v];
  return out;
}

function lookupIndex(table: AliasTable): Map<string, string> {
  const index = new Map<string, string>();
  for (const [canonical, spellings] of Object.entries(table)) {
    index.set(canonical.toLowerCase(), canonical);
    for (const s of spellings) if (!index.has(s.toLowerCase())) index.set(s.toLowerCase(), canonical);
  }
  return index;
}

const defaultIndex = lookupIndex(CONFIG_ALIASES);

/**
 * The canonical name of a config key, or undefined when it is no alias. A dotted key is matched by
 * its last segment only under known containers (`peft_config.r`, `model_args.model_name_or_path`),
 * so `model_config.r` of an unrelated object is not taken for the LoRA rank by accident: callers
 * pass the full key and decide which prefixes count (see `canonicalKey`).
 */
export function aliasOf(key: string, table?: AliasTable): string | undefined {
  const index = table ? lookupIndex(table) : defaultIndex;
  return index.get(key.toLowerCase());
}

/** Containers whose children are read as top-level keys (HF/LLaMA-Factory/PEFT nesting). */
const TRANSPARENT_PREFIXES = ["peft_config.", "lora_config.", "adapter_config.", "model_args.", "data_args.", "finetuning_args.", "training_args.", "args.", "params."];

/** The canonical name of a (possibly dotted) config key, or the key itself when it is no alias. */
export function canonicalKey(key: string, table?: AliasTable): string {
  const direct = aliasOf(key, table);
  if (direct) return direct;
  for (const prefix of TRANSPARENT_PREFIXES) {
    if (key.toLowerCase().startsWith(prefix)) {
      const inner = aliasOf(key.slice(prefix.length), table);
      if (inner) return inner;
    }
  }
  return key;
}

/** A value usable as a first-class field (a non-empty string, or a number/boolean as text). */
function asLabel(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === "string")) return value.join(",");
  return undefined;
}

/** PEFT/LLaMA-Factory method spellings → our method names. */
const METHOD_NAMES: Readonly<Record<string, string>> = Object.freeze({
  lora: "lora",
  qlora: "qlora",
  full: "full",
  freeze: "freeze",
  ia3: "ia3",
  adalora: "adalora",
  prefix_tuning: "prefix_tuning",
  prompt_tuning: "prompt_tuning",
  p_tuning: "p_tuning",
  adaption_prompt: "llama_adapter",
  llama_adapter: "llama_adapter",
  loha: "loha",
  lokr: "lokr",
  oft: "oft",
});

export function normalizeMethod(value: string): string {
  const v = value.trim().toLowerCase().replace(/[-\s]/g, "_");
  return METHOD_NAMES[v] ?? v;
}

/**
 * The first-class fields (base model, dataset, method) recognised in a flat or nested config, the
 * first spelling found in table order winning. Used where a run arrives with only a config (MLflow
 * params, imported logs, Hugging Face `args.to_dict()`).
 */
export function recognizeRunFields(config: Record<string, unknown>, table?: AliasTable): Partial<Record<FirstClassField, string>> {
  const flat = new Map<string, unknown>();
  const walk = (obj: Record<string, unknown>, prefix: string, depth: number) => {
    for (const [k, v] of Object.entries(obj)) {
      const key = prefix + k;
      if (v && typeof v === "object" && !Array.isArray(v) && depth < 3) walk(v as Record<string, unknown>, `${key}.`, depth + 1);
      else flat.set(key, v);
    }
  };
  walk(config, "", 0);
  const out: Partial<Record<FirstClassField, string>> = {};
  const spellings = table ?? CONFIG_ALIASES;
  for (const field of FIRST_CLASS_FIELDS) {
    for (const spelling of spellings[field] ?? []) {
      let found: string | undefined;
      for (const [key, value] of flat) {
        if (canonicalKey(key, table) !== field) continue;
        const last = key.slice(key.lastIndexOf(".") + 1);
        if (last.toLowerCase() !== spelling.toLowerCase()) continue;
        found = asLabel(value);
        if (found) break;
      }
      if (found) {
        out[field] = field === "method" ? normalizeMethod(found) : found;
        break;
      }
    }
  }
  return out;
}
