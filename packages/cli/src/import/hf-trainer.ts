import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { modelConfigEntries, readModelFiles, readResults, recognizeFields } from "./model-files";
import { PointSet } from "./point-set";
import { readOptionalJson } from "./read-files";
import { bestMetricFields, curveKey, isAggregateEntry, readTrainerState, stateFields, type TrainerState } from "./trainer-state";
import { SourceError, type SourceRun } from "./types";

/** `checkpoint-N` folders of an output folder, latest first. */
export function checkpointDirs(root: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(root).filter((n) => /^checkpoint-\d+$/.test(n));
  } catch {
    return [];
  }
  return names.sort((a, b) => Number(b.slice(11)) - Number(a.slice(11))).map((n) => join(root, n));
}

function hasEventFiles(dir: string): boolean {
  try {
    return readdirSync(dir, { recursive: true }).some((n) => /(^|[\\/])events\.out\.tfevents\./.test(String(n)));
  } catch {
    return false;
  }
}

/**
 * A Hugging Face Trainer output folder (or a lone checkpoint folder) as ONE run: its own
 * trainer_state.json or its checkpoints' — whichever has the longest log_history, since every
 * checkpoint repeats the history before it.
 */
export function readHfTrainer(root: string, name = basename(root)): SourceRun {
  const run: SourceRun = { format: "hf-trainer", source: root, files: [], name, config: {}, summary: {}, status: "finished", points: [], skipped: [], problems: [] };
  const dirs = [root, ...checkpointDirs(root)];
  let chosen: { file: string; read: TrainerState } | undefined;
  let firstError: SourceError | undefined;
  for (const dir of dirs) {
    const file = join(dir, "trainer_state.json");
    if (!existsSync(file)) continue;
    try {
      const read = readTrainerState(file);
      if (!chosen || read.logHistory.length > chosen.read.logHistory.length) chosen = { file, read };
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      firstError ??= error;
      run.problems.push(error.toProblem());
    }
  }
  if (!chosen) throw firstError ?? new SourceError(join(root, "trainer_state.json"), "no trainer_state.json here or in a checkpoint-N folder");
  run.files.push(chosen.file);
  if (chosen.read.problem) run.problems.push(chosen.read.problem);

  if (hasEventFiles(join(root, "runs"))) run.skipped.push("runs/ (TensorBoard event files of the same training, report_to='tensorboard'): trainer_state.json was imported instead, not both");
  const bins = dirs.filter((d) => existsSync(join(d, "training_args.bin")));
  if (bins.length) run.skipped.push(`training_args.bin (${bins.length} file${bins.length > 1 ? "s" : ""}): a Python pickle, not unpickled; save args.to_json_string() as training_args.json to import the arguments`);
  let args: Record<string, unknown> | undefined;
  for (const dir of dirs) {
    args = readOptionalJson(join(dir, "training_args.json"), (e) => run.problems.push(e.toProblem()));
    if (args) {
      run.files.push(join(dir, "training_args.json"));
      break;
    }
  }

  const { state, logHistory } = chosen.read;
  const fields = stateFields(state);
  const model = readModelFiles(dirs, run);
  run.config = { ...fields.config, ...(args ?? {}), ...modelConfigEntries(model) };
  Object.assign(run, recognizeFields(run.config, model));
  if (typeof args?.run_name === "string" && args.run_name && !args.run_name.startsWith("/")) run.name = args.run_name;

  const points = new PointSet("first");
  let aggregate: Record<string, unknown> | undefined;
  const finalEval: Record<string, unknown> = {};
  for (const entry of logHistory) {
    if (isAggregateEntry(entry)) {
      aggregate = entry;
      continue;
    }
    const step = entry.step;
    if (typeof step !== "number") continue;
    const epoch = typeof entry.epoch === "number" ? entry.epoch : undefined;
    for (const [k, value] of Object.entries(entry)) {
      const key = curveKey(k);
      if (!key || typeof value !== "number") continue;
      // trainer.evaluate() after train() (load_best_model_at_end) logs again at the last step: a result, not a point.
      if (aggregate && key.startsWith("eval/")) finalEval[`final_${k}`] = value;
      else points.add({ key, step, value, epoch });
    }
  }
  run.points = points.toArray();
  const repeats = points.describeRepeats();
  if (repeats) run.skipped.push(repeats);

  const { step: _step, ...aggregateFields } = aggregate ?? {};
  run.summary = { ...fields.summary, ...bestMetricFields(state, logHistory, args), ...aggregateFields, ...finalEval, ...readResults(root, run) };
  const globalStep = typeof state.global_step === "number" ? state.global_step : undefined;
  const maxSteps = typeof state.max_steps === "number" ? state.max_steps : undefined;
  if (!aggregate && globalStep !== undefined && maxSteps !== undefined && globalStep < maxSteps) {
    run.status = "killed";
    run.error = `training stopped at step ${globalStep} of ${maxSteps} (no end-of-training entry in log_history)`;
  }
  return run;
}
