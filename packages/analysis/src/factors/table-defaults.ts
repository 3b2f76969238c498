import { canonicalKey, FIRST_CLASS_FIELDS, type FirstClassField } from "@finetrack/contracts";
import { selectFactors } from "./select-factors";
import type { FactorValue } from "./types";


/** The statistic that is a metric's best: max for accuracy-like metrics, min otherwise. */
export function bestStatOf(key: string): "min" | "max" {
  return /acc|f1|score|bleu|rouge|auc|precision|recall|exact_match|map$/i.test(key) ? "max" : "min";
}

const VAL_LOSS = /^(val|valid|validation|eval)[/_.]loss$/i;

/** The main target of a project's runs: validation loss, else another loss, else the first metric. */
export function mainTarget(metricKeys: readonly string[]): string | null {
  return metricKeys.find((k) => VAL_LOSS.test(k)) ?? metricKeys.find((k) => /val.*loss|loss.*val/i.test(k)) ?? metricKeys.find((k) => /loss/i.test(k)) ?? metricKeys[0] ?? null;
}

/** The runs-table default shows at most this many config keys. */
export const MAX_DEFAULT_CONFIG_KEYS = 6;

/** How runs' columns are spelled for `varyingConfigKeys`: first-class fields, the group, flattened config paths. */
export type TableFactorColumns = {
  fields: Record<FirstClassField, FactorValue[]>;
  group: FactorValue[];
  config: Readonly<Record<string, FactorValue[]>>;
};

const PREFERRED: string[] = [...FIRST_CLASS_FIELDS, "group", "tags"];
const canonicalOf = (k: string) => (k === "tags" || k === "group" ? k : canonicalKey(k));

/**
 * Config keys that are factors of the shown runs (they vary, and are no seed, no bookkeeping key, no
 * spelling of a run field shown already, no function of another one), as the factor analysis
 * judges them, at most six.
 */
export function varyingConfigKeys(runs: TableFactorColumns): string[] {
  const keys = Object.keys(runs.config);
  const columns = [
    ...FIRST_CLASS_FIELDS.map((f) => ({ key: f as string, values: runs.fields[f] })),
    { key: "group", values: runs.group },
    ...keys.map((k) => ({ key: k, values: runs.config[k] })),
  ];
  const selection = selectFactors(columns, { canonical: canonicalOf, preferred: PREFERRED });
  const out: string[] = [];
  for (const factor of selection.factors) {
    if (PREFERRED.includes(factor)) continue;
    // A factor is named by its canonical spelling: show the config key that spells it.
    const key = keys.find((k) => k === factor) ?? keys.find((k) => canonicalOf(k) === factor);
    if (key && !PREFERRED.includes(canonicalOf(key))) out.push(key);
    if (out.length === MAX_DEFAULT_CONFIG_KEYS) break;
  }
  return out;
}

/**
 * Whether a config key can be left out of `varyingConfigKeys` unseen: every run has it, with one
 * value, and no other key (or run field) shares its canonical spelling, so it can only be judged constant.
 */
export function isSurelyConstant(key: string, present: number, levels: number, runs: number, otherKeys: readonly string[]): boolean {
  if (present !== runs || levels > 1) return false;
  const name = canonicalOf(key);
  return !PREFERRED.includes(name) && !otherKeys.some((k) => k !== key && canonicalOf(k) === name);
}
