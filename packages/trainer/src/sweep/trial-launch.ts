import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { applyOverrides } from "../config/load-config";
import { parseConfig } from "../config/parse-config";

/** What an agent knows of a sweep to start one of its trials. */
export interface TrialSweep {
  id: string;
  name: string;
  group: string;
  /** Any program, `${key}` replaced by the trial's value. */
  command?: string[];
  /** Our trainer: the base training config. */
  trainer?: Record<string, unknown>;
}

export interface TrialToLaunch {
  id: string;
  index: number;
  runId: string;
  assignment: Record<string, unknown>;
}

export interface TrialLaunch {
  argv: string[];
  env: Record<string, string>;
}

const asText = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
/** `learning_rate` → FINETRACK_PARAM_LEARNING_RATE (never a bare name that could shadow PATH or HOME). */
export const paramEnvName = (key: string) => `FINETRACK_PARAM_${key.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;

/** `${key}` in each argument becomes the trial's value; an unknown key is an error naming it. */
export function substituteCommand(command: readonly string[], assignment: Record<string, unknown>): string[] {
  return command.map((arg) =>
    arg.replace(/\$\{([^}]+)\}/g, (_, key: string) => {
      if (!Object.prototype.hasOwnProperty.call(assignment, key)) throw new Error(`command argument '${arg}': no parameter '${key}' in this sweep (it has ${Object.keys(assignment).join(", ") || "none"})`);
      return asText(assignment[key]);
    }),
  );
}

/**
 * The process a trial runs as: the sweep's command, or `finetrack train -c <trial config>` for a
 * trainer sweep. Either way the trial's values are in env vars (`FINETRACK_PARAM_*`, and all of
 * them as JSON in FINETRACK_PARAMS) and FINETRACK_RUN_ID / FINETRACK_SWEEP_ID make the SDK (or the
 * Python client) log to the trial's run.
 */
export function trialLaunch(sweep: TrialSweep, trial: TrialToLaunch, opts: { cliBin: string; workDir: string }): TrialLaunch {
  const env: Record<string, string> = {
    FINETRACK_RUN_ID: trial.runId,
    FINETRACK_SWEEP_ID: sweep.id,
    FINETRACK_TRIAL_ID: trial.id,
    FINETRACK_TRIAL_INDEX: String(trial.index),
    FINETRACK_PARAMS: JSON.stringify(trial.assignment),
  };
  for (const [k, v] of Object.entries(trial.assignment)) env[paramEnvName(k)] = asText(v);
  if (sweep.command) return { argv: substituteCommand(sweep.command, trial.assignment), env };
  const raw = applyOverrides(sweep.trainer ?? {}, Object.entries(trial.assignment).map(([k, v]) => `${k}=${JSON.stringify(v)}`));
  raw.group = sweep.group;
  raw.tags = [...((raw.tags as string[] | undefined) ?? []), `sweep:${sweep.name}`];
  const config = parseConfig(raw, `sweep ${sweep.id} trial ${trial.index}`);
  const file = join(opts.workDir, `trial-${trial.id}-${trial.runId}.json`);
  writeFileSync(file, JSON.stringify(config));
  return { argv: [process.execPath, opts.cliBin, "train", "-c", file], env };
}
