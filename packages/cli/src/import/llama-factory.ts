import { existsSync, readdirSync } from "node:fs";
import { basename, join } from "node:path";
import { checkpointDirs } from "./hf-trainer";
import { modelConfigEntries, readModelFiles, readResults, recognizeFields } from "./model-files";
import { PointSet } from "./point-set";
import { parsePythonJson } from "./python-json";
import { isRecord, readOptionalJson, readYamlObject } from "./read-files";
import { readText } from "./read-source";
import { bestMetricFields, stateFields } from "./trainer-state";
import { SourceError, type SourceRun } from "./types";

/** trainer_log.jsonl fields (LogCallback.on_log) → curve keys; the rest is progress bookkeeping. */
const CURVES: Record<string, string> = {
  loss: "train/loss",
  eval_loss: "eval/loss",
  predict_loss: "predict/loss",
  reward: "train/reward",
  accuracy: "train/rewards/accuracies",
  lr: "train/learning_rate",
  learning_rate: "train/learning_rate",
  throughput: "train/throughput_tokens_per_s",
  total_tokens: "train/total_tokens",
  vram_allocated: "train/vram_allocated_gb",
  vram_reserved: "train/vram_reserved_gb",
};
/** A line with none of these is a progress line (prediction or evaluation progress), not a measurement. */
const MEASURES = ["loss", "eval_loss", "predict_loss", "reward", "accuracy"];

/** "22:13:15", "1 day, 2:03:04", "9 days, 22:13:15" (Python's str(timedelta)) → seconds. */
export function parseElapsed(text: string): number | undefined {
  const m = /^\s*(?:(-?\d+) days?, )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)\s*$/.exec(text);
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
}

/** The LLaMA-Factory args of an output folder: training_args.yaml, else another YAML with model_name_or_path. */
function readArgs(dir: string, run: SourceRun): Record<string, unknown> {
  const names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort((a, b) => Number(b === "training_args.yaml") - Number(a === "training_args.yaml"));
  for (const name of names) {
    const file = join(dir, name);
    try {
      const parsed = readYamlObject(file);
      if ("model_name_or_path" in parsed || name === "training_args.yaml") {
        run.files.push(file);
        return parsed;
      }
    } catch (error) {
      if (!(error instanceof SourceError)) throw error;
      run.problems.push(error.toProblem());
    }
  }
  return {};
}

/**
 * A LLaMA-Factory output folder: trainer_log.jsonl for the curves, its YAML for the config, and
 * the Trainer files beside it (trainer_state.json for the best checkpoint, adapter/model config).
 */
export function readLlamaFactory(dir: string, name = basename(dir)): SourceRun {
  const run: SourceRun = { format: "llama-factory", source: dir, files: [], name, config: {}, summary: {}, status: "finished", points: [], skipped: [], problems: [] };
  const logFile = join(dir, "trainer_log.jsonl");
  const text = readText(logFile);
  run.files.push(logFile);
  // A resumed run appends to the same log and repeats steps: the later line is the one that stands.
  const points = new PointSet("last");
  let progressOnly = 0;
  let lastLine: Record<string, unknown> | undefined;
  const lines = text.split("\n");
  for (const [i, line] of lines.entries()) {
    if (!line.trim()) continue;
    let entry: unknown;
    try {
      entry = parsePythonJson(line);
    } catch (error) {
      const cut = i === lines.length - 1 && !text.endsWith("\n");
      run.problems.push({ file: logFile, where: `line ${i + 1}`, message: cut ? "truncated (the file ends mid-line)" : `not valid JSON (${(error as Error).message})` });
      continue;
    }
    if (!isRecord(entry) || typeof entry.current_steps !== "number") {
      run.problems.push({ file: logFile, where: `line ${i + 1}`, message: "expected an object with current_steps" });
      continue;
    }
    if (!MEASURES.some((k) => typeof entry[k] === "number")) {
      progressOnly++;
      continue;
    }
    lastLine = entry;
    const epoch = typeof entry.epoch === "number" ? entry.epoch : undefined;
    for (const [field, key] of Object.entries(CURVES)) {
      const value = entry[field];
      // eval_loss: null on every training line in older versions: no point, not NaN.
      if (typeof value === "number") points.add({ key, step: entry.current_steps, value, epoch });
    }
  }
  run.points = points.toArray();
  if (progressOnly) run.skipped.push(`${progressOnly} progress-only line(s) without a loss in trainer_log.jsonl`);
  const repeats = points.describeRepeats();
  if (repeats) run.skipped.push(repeats);

  const args = readArgs(dir, run);
  const model = readModelFiles([dir, ...checkpointDirs(dir)], run);
  run.config = { ...args, ...modelConfigEntries(model) };
  if (typeof lastLine?.total_steps === "number" && run.config.max_steps === undefined) run.config.max_steps = lastLine.total_steps;
  Object.assign(run, recognizeFields(run.config, model));
  if (typeof args.run_name === "string" && args.run_name) run.name = args.run_name;

  // The last measurement, not the last line: prediction progress lines after training restart the clock.
  const last = lastLine;
  const elapsed = typeof last?.elapsed_time === "string" ? parseElapsed(last.elapsed_time) : undefined;
  if (elapsed !== undefined) run.summary.elapsed_seconds = elapsed;
  const stateFile = join(dir, "trainer_state.json");
  const state = existsSync(stateFile) ? readOptionalJson(stateFile, (e) => run.problems.push(e.toProblem())) : undefined;
  if (state) {
    run.files.push(stateFile);
    const history = Array.isArray(state.log_history) ? state.log_history.filter(isRecord) : [];
    Object.assign(run.summary, stateFields(state).summary, bestMetricFields(state, history, args));
  }
  Object.assign(run.summary, readResults(dir, run));
  const results = Object.keys(run.summary).some((k) => k.startsWith("train_"));
  if (!results && last && typeof last.current_steps === "number" && typeof last.total_steps === "number" && last.current_steps < last.total_steps) {
    run.status = "killed";
    run.error = `training stopped at step ${last.current_steps} of ${last.total_steps} (no train_results.json)`;
  }
  return run;
}
