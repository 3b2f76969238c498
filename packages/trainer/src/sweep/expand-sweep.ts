import { dirname, isAbsolute, resolve } from "node:path";
import { ConfigError, describeIssues } from "../config/config-error";
import { applyOverrides, readYamlFile } from "../config/load-config";
import { parseConfig } from "../config/parse-config";
import { CONFIG_ALIASES, type TrainConfig } from "../config/train-config";
import { isDatasetPath } from "../data/load-dataset";
import { createRng } from "../data/create-rng";
import { defaultRunName } from "../run/run-training";
import { SweepConfig, type SweepParameter } from "./sweep-config";

export interface SweepJob {
  index: number;
  /** The swept values of this job (without the seed). */
  assignment: Record<string, unknown>;
  config: TrainConfig;
}

export interface ExpandedSweep {
  sweep: SweepConfig;
  group: string;
  jobs: SweepJob[];
  /** The config every trainer trial starts from (the base file, `config`, --set, project). */
  base: Record<string, unknown>;
  /** Every trial's values (seed included), also for a `command` sweep, which has no trainer jobs. */
  assignments: Record<string, unknown>[];
  /** What the user should hear, e.g. a --set that pins a swept key. */
  notes: string[];
}

/** Reads a sweep file and expands it (see expandSweep). */
export function loadSweep(path: string, sets: readonly string[] = []): ExpandedSweep {
  return expandSweep(readYamlFile(path), { source: path, sets });
}

/** Expands a sweep into validated run configs: grid = cartesian product of the parameters, random =
 *  `count` samples; each × seeds. Every job is validated up front so a typo fails the sweep before
 *  any run starts, naming the job and the field. */
export function expandSweep(raw: unknown, opts: { source?: string; sets?: readonly string[]; now?: Date } = {}): ExpandedSweep {
  const source = opts.source ?? "";
  const parsed = SweepConfig.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, describeIssues(parsed.error, raw, Object.keys(SweepConfig.shape)));
  const sweep = parsed.data;
  let base: Record<string, unknown> = {};
  if (sweep.base) base = readYamlFile(isAbsolute(sweep.base) || !source ? sweep.base : resolve(dirname(source), sweep.base));
  base = applyOverrides({ ...base, ...sweep.config }, opts.sets ?? []);
  if (sweep.project) base.project = sweep.project;
  const group = sweep.group ?? `${sweep.name}-${(opts.now ?? new Date()).toISOString().slice(0, 19).replace(/[-:T]/g, "")}`;
  const notes = pinSetKeys(sweep, opts.sets ?? []);

  // Swept keys win over the base whatever spelling either uses (model_name_or_path vs base_model).
  for (const key of Object.keys(sweep.parameters)) {
    const canonical = CONFIG_ALIASES[key] ?? key;
    for (const k of Object.keys(base)) if (k !== key && (CONFIG_ALIASES[k] ?? k) === canonical) delete base[k];
  }
  if (isDatasetPath(String(base.dataset ?? "")) && !isAbsolute(String(base.dataset)) && source) base.dataset = resolve(dirname(source), String(base.dataset));
  if (sweep.method === "tpe") {
    if (!sweep.count) throw new ConfigError(source, ["count: a tpe sweep expects the number of trials, e.g. count: 20"]);
    return { sweep, group, jobs: [], base, assignments: [], notes };
  }
  const assignments = sweep.method === "grid" ? gridAssignments(sweep.parameters, source) : randomAssignments(sweep.parameters, sweep.count, sweep.sweep_seed, source);
  const withSeeds = assignments.flatMap((a) => sweep.seeds.map((seed) => ({ ...a, seed })));
  if (sweep.command) return { sweep, group, jobs: [], base, assignments: withSeeds, notes };
  const swept = Object.keys(sweep.parameters);
  const jobs: SweepJob[] = [];
  for (const assignment of assignments) {
    for (const seed of sweep.seeds) {
      const raw = applyOverrides(base, Object.entries({ ...assignment, seed }).map(([k, v]) => `${k}=${JSON.stringify(v)}`));
      raw.group = group;
      raw.tags = [...((raw.tags as string[] | undefined) ?? []), `sweep:${sweep.name}`];
      let config: TrainConfig;
      try {
        config = parseConfig(raw, `${source || "sweep"} job ${jobs.length} (${describe(assignment)}, seed ${seed})`);
      } catch (err) {
        throw err instanceof ConfigError ? err : new ConfigError(source, [String(err)]);
      }
      if (isDatasetPath(config.dataset) && !isAbsolute(config.dataset) && source) config.dataset = resolve(dirname(source), config.dataset);
      if (!config.run_name) config.run_name = runName(config, assignment, swept);
      jobs.push({ index: jobs.length, assignment, config });
    }
  }
  return { sweep, group, jobs, base, assignments: withSeeds, notes };
}

/**
 * `--set key=value` on a swept key pins it: the parameter leaves the sweep, so every run gets the set
 * value (it would otherwise be overridden by the swept values without a word).
 */
function pinSetKeys(sweep: SweepConfig, sets: readonly string[]): string[] {
  const notes: string[] = [];
  for (const set of sets) {
    const key = set.slice(0, set.indexOf("=")).trim();
    const canonical = CONFIG_ALIASES[key] ?? key;
    for (const swept of Object.keys(sweep.parameters)) {
      if ((CONFIG_ALIASES[swept] ?? swept) !== canonical) continue;
      const was = valuesOf(sweep.parameters[swept]);
      delete sweep.parameters[swept];
      notes.push(`--set ${set} pins swept parameter '${swept}'${was ? ` (was ${JSON.stringify(was)})` : ""}`);
    }
  }
  return notes;
}

function describe(a: Record<string, unknown>): string {
  return Object.entries(a).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(", ") || "no parameters";
}

/** The default name plus every swept key it does not already show. */
function runName(config: TrainConfig, assignment: Record<string, unknown>, swept: string[]): string {
  const shown = new Set(["base_model", "model_name_or_path", "dataset", "finetuning_type", "seed"]);
  const extra = swept.filter((k) => !shown.has(k)).map((k) => `${k.split(".").pop()}=${JSON.stringify(assignment[k]).replace(/"/g, "")}`);
  return [defaultRunName(config), ...extra].join("-").slice(0, 200);
}

function valuesOf(p: SweepParameter): unknown[] | undefined {
  if (Array.isArray(p)) return p;
  if ("values" in p) return p.values;
  return undefined;
}

function gridAssignments(params: Record<string, SweepParameter>, source: string): Record<string, unknown>[] {
  let out: Record<string, unknown>[] = [{}];
  for (const [key, p] of Object.entries(params)) {
    const values = valuesOf(p);
    if (!values) throw new ConfigError(source, [`parameters.${key}: a grid sweep expects a list of values, got a range; use method: random or list the values`]);
    out = out.flatMap((a) => values.map((v) => ({ ...a, [key]: v })));
  }
  return out;
}

function randomAssignments(params: Record<string, SweepParameter>, count: number | undefined, seed: number, source: string): Record<string, unknown>[] {
  if (!count) throw new ConfigError(source, ["count: a random sweep expects the number of samples, e.g. count: 20"]);
  const rng = createRng(seed);
  return Array.from({ length: count }, () => {
    const a: Record<string, unknown> = {};
    for (const [key, p] of Object.entries(params)) {
      const values = valuesOf(p);
      if (values) a[key] = values[Math.floor(rng() * values.length)];
      else if (!Array.isArray(p) && "min" in p) {
        const u = rng();
        a[key] =
          p.distribution === "log_uniform"
            ? Math.exp(Math.log(p.min) + u * (Math.log(p.max) - Math.log(p.min)))
            : p.distribution === "int_uniform"
              ? Math.ceil(p.min) + Math.floor(u * (Math.floor(p.max) - Math.ceil(p.min) + 1))
              : p.min + u * (p.max - p.min);
      }
    }
    return a;
  });
}
