import { AnalysisInputError } from "../errors";
import type { FactorValue } from "./types";

/** Why a logged key is not analysed as a factor of its own. */
export type ExclusionReason = "constant" | "bookkeeping" | "seed" | "identity";

export interface CandidateColumn {
  /** The key as logged: a run column (`baseModel`) or a config path (`model_config.width`). */
  key: string;
  /** One value per run, in the same run order for every column. */
  values: FactorValue[];
}

export interface SelectFactorsOptions {
  /** Canonical name of a key (the alias table, e.g. `model_name_or_path` → `baseModel`); default: itself. */
  canonical?: (key: string) => string;
  /** Canonical names that lead (first-class run fields): kept ahead of config keys when two determine each other. */
  preferred?: string[];
}

export interface FactorSelection {
  /** Factor names (canonical), in the order they were judged. */
  factors: string[];
  /** Each factor's merged values, one per run. */
  values: Record<string, FactorValue[]>;
  /** Spellings merged into one factor (`baseModel` ← `base_model`, `model_name_or_path`). */
  aliases: { factor: string; keys: string[] }[];
  /** Keys whose values are a function of a factor across these runs: `model_config.*` given the base model. */
  followers: { factor: string; keys: string[]; aliased: string[] }[];
  excluded: { key: string; reason: ExclusionReason }[];
  /** The seed key and its values, when runs carry one that varies (the noise floor, not a factor). */
  seed: { key: string; values: FactorValue[] } | null;
}

const SEED = /(^|[._])(seed|random_?seed|data_?seed|init_?seed)$/i;
/** Keys that name, place or time a run rather than set it up (last path segment). */
const BOOKKEEPING =
  /^(run_?name|name|run_?id|id|parent_?run_?id|project|group|tags?|notes?|output_?dir|logging_?dir|overwrite_output_dir|report_to|push_to_hub|resume_from_checkpoint|checkpoint|disable_tqdm|(logging|save|hub|wandb|mlflow|tracking)_.*|hub|tracking|.*_(dir|path|file|url|uri)|.*(timestamp|_time|_date|_at))$/i;

const lastSegment = (key: string) => key.slice(key.lastIndexOf(".") + 1);

/**
 * Level index of every run (missing is a level of its own) and the number of levels. A value's
 * level is its type and value (1 and "1" differ; NaN is one level, 0 and -0 are one), kept in one
 * map per type: no label text is built for each of 10,000 runs.
 */
function codes(values: FactorValue[]): { codes: Int32Array; levels: number } {
  const byType = { number: new Map<unknown, number>(), string: new Map<unknown, number>(), boolean: new Map<unknown, number>() };
  let levels = 0;
  let missing = -1;
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      out[i] = missing < 0 ? (missing = levels++) : missing;
      continue;
    }
    const index = byType[typeof v as "number" | "string" | "boolean"];
    let c = index.get(v);
    if (c === undefined) index.set(v, (c = levels++));
    out[i] = c;
  }
  return { codes: out, levels };
}

/** True when b's level is a function of a's level in every run. */
export function determines(a: Int32Array, b: Int32Array): boolean {
  const seen = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const prev = seen.get(a[i]);
    if (prev === undefined) seen.set(a[i], b[i]);
    else if (prev !== b[i]) return false;
  }
  return true;
}

/**
 * Which logged keys are factors of a set of runs. Spellings of one thing are merged (the alias
 * table); the seed, constants, bookkeeping keys (names, paths, dirs, report_to, hub ids, times,
 * tags) and free text with about one value per run are set aside with the reason; a key whose
 * values follow from a factor already kept (every `model_config.*` given the base model) is
 * folded into it. Judged in order: preferred fields, alias-table names, top-level keys, nested
 * keys; within each, fewer levels first, so a coarse key is never absorbed by a finer one of the
 * same rank, and a determiner must repeat its levels (≤ n/2 of them), so a per-run value
 * (a sampled learning rate) never "determines" everything.
 */
export function selectFactors(columns: CandidateColumn[], options: SelectFactorsOptions = {}): FactorSelection {
  if (!Array.isArray(columns)) throw new AnalysisInputError("columns", "an array of { key, values }", columns);
  const n = columns[0]?.values.length ?? 0;
  columns.forEach((c, i) => {
    if (!c || typeof c.key !== "string" || !Array.isArray(c.values)) throw new AnalysisInputError(`columns[${i}]`, "{ key: string, values: array }", c);
    if (c.values.length !== n) throw new AnalysisInputError(`columns[${i}].values`, `${n} values (one per run)`, c.values.length);
  });
  const canonical = options.canonical ?? ((k: string) => k);
  const preferred = options.preferred ?? [];
  const excluded: FactorSelection["excluded"] = [];
  let seed: FactorSelection["seed"] = null;
  const groups = new Map<string, CandidateColumn[]>();
  for (const col of columns) {
    // A field no run set (the first-class base model of runs logged with HF keys only) is no spelling of anything.
    if (col.values.every((v) => v === null || v === undefined)) continue;
    const name = canonical(col.key);
    const isAlias = name !== col.key || preferred.includes(name);
    // A nested seed (`base_model_pretraining.seed`) belongs to what it seeded and is judged like any key.
    if (!name.includes(".") && SEED.test(name)) {
      excluded.push({ key: col.key, reason: "seed" });
      if (!seed && codes(col.values).levels > 1) seed = { key: col.key, values: col.values };
      continue;
    }
    if (!isAlias && BOOKKEEPING.test(lastSegment(col.key))) {
      excluded.push({ key: col.key, reason: "bookkeeping" });
      continue;
    }
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push(col);
  }
  const aliases: FactorSelection["aliases"] = [];
  const merged: { name: string; values: FactorValue[]; rank: number; codes: Int32Array; levels: number }[] = [];
  for (const [name, members] of groups) {
    const values = Array.from({ length: n }, (_, i) => {
      for (const m of members) if (m.values[i] !== null && m.values[i] !== undefined) return m.values[i];
      return null;
    });
    const keys = [...new Set(members.map((m) => m.key))];
    const others = keys.filter((k) => k !== name);
    const c = codes(values);
    if (c.levels < 2) {
      for (const key of keys) excluded.push({ key, reason: "constant" });
      continue;
    }
    const present = values.filter((v) => v !== null && v !== undefined);
    const textual = present.some((v) => typeof v === "string");
    if (textual && c.levels > Math.max(12, n / 3)) {
      for (const key of keys) excluded.push({ key, reason: "identity" });
      continue;
    }
    // Spellings are reported for what gets analysed (a constant's aliases say nothing).
    if (others.length) aliases.push({ factor: name, keys });
    const rank = preferred.includes(name) ? 0 : others.length ? 1 : name.includes(".") ? 3 : 2;
    merged.push({ name, values, rank, ...c });
  }
  merged.sort((a, b) => a.rank - b.rank || a.levels - b.levels || a.name.localeCompare(b.name));
  const kept: typeof merged = [];
  const followers = new Map<string, { keys: string[]; aliased: string[] }>();
  for (const m of merged) {
    const by = kept.find((k) => k.levels <= n / 2 && determines(k.codes, m.codes));
    if (!by) {
      kept.push(m);
      continue;
    }
    const entry = followers.get(by.name) ?? { keys: [], aliased: [] };
    entry.keys.push(m.name);
    if (m.levels === by.levels) entry.aliased.push(m.name);
    followers.set(by.name, entry);
  }
  return {
    factors: kept.map((k) => k.name),
    values: Object.fromEntries(kept.map((k) => [k.name, k.values])),
    aliases,
    followers: [...followers].map(([factor, f]) => ({ factor, ...f })),
    excluded,
    seed,
  };
}
