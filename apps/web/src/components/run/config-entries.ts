import { flattenJson, formatMetricValue } from "@finetrack/contracts";

/** Trainer options that only mean something under some `finetuning_type`s. */
const ONLY_FOR: [RegExp, string[]][] = [
  [/^(lora_|use_rslora$|use_dora$|pissa)/, ["lora", "qlora"]],
  [/^(quantization_bit|double_quantization|quantization_type)$/, ["qlora"]],
  [/^adapter_size$/, ["adapter"]],
  [/^adapter_(len|layers)$/, ["llama_adapter"]],
  [/^freeze_trainable_(layers|modules)$/, ["freeze"]],
];

export interface ConfigEntry {
  key: string;
  /** What the page shows. */
  text: string;
  /** The exact stored value, for the hover title. */
  raw: string;
  /** An array of objects (per-layer results) the page shows as a table. */
  rows?: Record<string, unknown>[];
}

/** Whether a config key applies to the run's fine-tuning type (unknown keys always do). */
export function appliesTo(key: string, finetuningType: string | null): boolean {
  if (!finetuningType) return true;
  const rule = ONLY_FOR.find(([re]) => re.test(key));
  return !rule || rule[1].includes(finetuningType);
}

function textOf(key: string, v: unknown): string {
  if (typeof v === "number") return formatMetricValue(key, v);
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((x) => typeof x !== "object" || x === null)) return v.map((x) => (typeof x === "number" ? formatMetricValue(key, x) : String(x))).join(", ");
  return JSON.stringify(v);
}

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/**
 * A JSON object as sorted, formatted rows (0.08333333333333333 reads 0.083333, bytes in full),
 * leaving out the options that do not apply to `finetuningType`; `hidden` counts those.
 */
export function configEntries(value: Record<string, unknown>, finetuningType: string | null = null): { entries: ConfigEntry[]; hidden: ConfigEntry[] } {
  const all = Object.entries(flattenJson(value))
    .map(([key, v]): ConfigEntry => {
      const isTable = Array.isArray(v) && v.length > 0 && v.every((x) => x !== null && typeof x === "object" && !Array.isArray(x));
      return { key, text: isTable ? `${(v as unknown[]).length} rows` : textOf(key, v), raw: typeof v === "string" ? v : JSON.stringify(v), rows: isTable ? (v as Record<string, unknown>[]) : undefined };
    })
    .sort((a, b) => collator.compare(a.key, b.key));
  const type = typeof value.finetuning_type === "string" ? value.finetuning_type : finetuningType;
  return { entries: all.filter((e) => appliesTo(e.key, type)), hidden: all.filter((e) => !appliesTo(e.key, type)) };
}
