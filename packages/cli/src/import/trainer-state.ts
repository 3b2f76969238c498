import { lineOf, parsePythonJson, salvageArrayObjects } from "./python-json";
import { isRecord, readJsonObject } from "./read-files";
import { readText } from "./read-source";
import { SourceError, type ImportProblem } from "./types";

export type TrainerState = { state: Record<string, unknown>; logHistory: Record<string, unknown>[]; problem?: ImportProblem };

/**
 * A `trainer_state.json`. A file cut off mid-write keeps the log entries before the cut (they are
 * complete objects) and the top-level fields before `log_history` (the Trainer sorts keys, so
 * best_metric, epoch, global_step … come first); the cut is reported with its offset.
 */
export function readTrainerState(file: string): TrainerState {
  const text = readText(file);
  try {
    const state = readJsonObject(file, text);
    const history = Array.isArray(state.log_history) ? state.log_history.filter(isRecord) : [];
    return { state, logHistory: history };
  } catch (error) {
    if (!(error instanceof SourceError)) throw error;
    const key = text.indexOf('"log_history"');
    const open = key < 0 ? -1 : text.indexOf("[", key);
    if (open < 0) throw error;
    const { objects, stoppedAt } = salvageArrayObjects(text, open);
    if (objects.length === 0) throw error;
    const state = scalarFields(text.slice(0, key));
    const where = lineOf(text, stoppedAt ?? text.length);
    return {
      state,
      logHistory: objects.filter(isRecord),
      problem: { file, where, message: `truncated or corrupt: read the first ${objects.length} log_history entries, the rest could not be parsed` },
    };
  }
}

const SCALAR_FIELD = /"([^"\\]+)"\s*:\s*("(?:[^"\\]|\\.)*"|-?\d[\d.eE+-]*|NaN|-?Infinity|null|true|false)\s*[,}]/g;

function scalarFields(prefix: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const m of prefix.matchAll(SCALAR_FIELD)) {
    try {
      out[m[1]] = parsePythonJson(m[2]);
    } catch {
      // a half-written value: leave the field out
    }
  }
  return out;
}

/** Keys of the end-of-training entry (`Trainer.train` logs speed metrics, train_loss, total_flos). */
const AGGREGATE_KEYS = ["train_runtime", "train_loss", "train_samples_per_second", "train_steps_per_second", "total_flos"];

export function isAggregateEntry(entry: Record<string, unknown>): boolean {
  return !("loss" in entry) && AGGREGATE_KEYS.some((k) => k in entry);
}

/** `loss` → train/loss, `eval_wer` → eval/wer, `test_f1` → test/f1; bookkeeping keys → null. */
export function curveKey(key: string): string | null {
  if (key === "step" || key === "epoch") return null;
  const m = /^(eval|test|predict)_(.+)$/.exec(key);
  if (m) return `${m[1]}/${m[2]}`;
  return `train/${key}`;
}

const STATE_SUMMARY = ["best_metric", "best_global_step", "best_model_checkpoint", "global_step", "max_steps", "epoch", "total_flos", "num_input_tokens_seen"];
const STATE_CONFIG = ["max_steps", "num_train_epochs", "logging_steps", "eval_steps", "save_steps", "train_batch_size"];

/** The TrainerState fields that describe the result (summary) and the schedule (config). */
export function stateFields(state: Record<string, unknown>): { summary: Record<string, unknown>; config: Record<string, unknown> } {
  const summary: Record<string, unknown> = {};
  const config: Record<string, unknown> = {};
  // best_model_checkpoint is often a path on another machine (/content/drive/…, .\results\checkpoint-N): kept as text.
  for (const k of STATE_SUMMARY) if (state[k] !== undefined && state[k] !== null) summary[k] = state[k];
  for (const k of STATE_CONFIG) if (state[k] !== undefined && state[k] !== null) config[k] = state[k];
  return { summary, config };
}

/** The step of the best checkpoint: best_global_step, else the N of `…checkpoint-N` with either slash. */
export function bestStep(state: Record<string, unknown>): number | undefined {
  if (typeof state.best_global_step === "number") return state.best_global_step;
  const m = typeof state.best_model_checkpoint === "string" ? /checkpoint-(\d+)[\\/]*$/.exec(state.best_model_checkpoint) : null;
  return m ? Number(m[1]) : undefined;
}

/**
 * `metric_for_best_model` and `greater_is_better` are TrainingArguments, not TrainerState: when no
 * training_args.json says them, the metric is the eval_* entry equal to best_metric at the best
 * step, and greater_is_better follows the Trainer's own default (true unless the name ends in "loss").
 */
export function bestMetricFields(
  state: Record<string, unknown>,
  history: Record<string, unknown>[],
  args: Record<string, unknown> | undefined,
): Record<string, unknown> {
  const best = state.best_metric;
  if (typeof best !== "number") return {};
  let metric = typeof args?.metric_for_best_model === "string" ? args.metric_for_best_model : undefined;
  let source = metric ? "training_args.json" : undefined;
  if (!metric) {
    const step = bestStep(state);
    const matches = history.filter((e) => step === undefined || e.step === step).flatMap((e) => Object.entries(e).filter(([k, v]) => k.startsWith("eval_") && typeof v === "number" && sameNumber(v, best)).map(([k]) => k));
    metric = matches.find((k) => k === "eval_loss") ?? matches[0];
    source = metric ? "inferred from log_history" : undefined;
  }
  if (!metric) return {};
  const name = metric.startsWith("eval_") ? metric : `eval_${metric}`;
  const greater = typeof args?.greater_is_better === "boolean" ? args.greater_is_better : !name.endsWith("loss");
  return { metric_for_best_model: name, greater_is_better: greater, best_metric_source: source };
}

function sameNumber(a: number, b: number): boolean {
  return a === b || Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
}
