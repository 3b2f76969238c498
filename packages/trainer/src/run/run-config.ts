import type { TrainConfig } from "../config/train-config";
import { runKfold } from "./run-kfold";
import { defaultRunName, runTraining, type RunTrainingOptions } from "./run-training";

/** What a sweep or the CLI needs to know about a finished config. */
export interface RunOutcome {
  /** The run id (for k-fold: the cross-validation summary run). */
  runId: string;
  name: string;
  summary: Record<string, number | string>;
}

/** Runs one config: k-fold cross-validation when it has a kfold section, else a single run. */
export async function runConfig(config: TrainConfig, opts: Omit<RunTrainingOptions, "data" | "keepModel" | "parentRunId"> = {}): Promise<RunOutcome> {
  if (config.kfold) {
    const r = await runKfold(config, opts);
    return { runId: r.parentRunId, name: `${config.run_name ?? defaultRunName(config)}-cv`, summary: r.summary };
  }
  const r = await runTraining(config, opts);
  return { runId: r.runId, name: config.run_name ?? defaultRunName(config), summary: r.summary };
}
