import { CONFIG_ALIASES, TrainConfig } from "./train-config";
import { ConfigError, describeIssues } from "./config-error";

/** Validates a raw config object (from YAML, CLI or a sweep) into a complete TrainConfig with every
 *  default filled in, accepting LLaMA-Factory/PEFT aliases. Throws ConfigError naming each bad field. */
export function parseConfig(raw: unknown, source = ""): TrainConfig {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new ConfigError(source, [`(root): expected a mapping of config keys, got ${JSON.stringify(raw)}`]);
  }
  const { value, issues } = normalizeKeys(raw as Record<string, unknown>);
  if (issues.length) throw new ConfigError(source, issues);
  const parsed = TrainConfig.safeParse(value);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, value, Object.keys(TrainConfig.shape)));
  return parsed.data;
}

function normalizeKeys(raw: Record<string, unknown>): { value: Record<string, unknown>; issues: string[] } {
  const value: Record<string, unknown> = {};
  const issues: string[] = [];
  for (const [key, v] of Object.entries(raw)) {
    const canonical = CONFIG_ALIASES[key] ?? key;
    if (canonical !== key && key in raw && canonical in raw) {
      issues.push(`${key}: is an alias of '${canonical}', which is also set; keep one`);
      continue;
    }
    value[canonical] = v;
  }
  // LLaMA-Factory writes lora_target as "q_proj,v_proj"; accept that and the short names.
  if (typeof value.lora_target === "string" && value.lora_target !== "all") {
    value.lora_target = value.lora_target
      .split(",")
      .map((s) => s.trim().replace(/_proj$/, ""))
      .filter(Boolean);
  }
  if (typeof value.kfold === "number") value.kfold = { k: value.kfold };
  return { value, issues };
}
