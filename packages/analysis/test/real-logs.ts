// Training logs shaped like the real thing, with a known answer: Hugging Face `log_history`
// (transformers' Trainer.log: `loss`/`grad_norm`/`learning_rate` every logging_steps, `eval_*` at
// evaluation, `epoch` rounded to 2 decimals, the end-of-training aggregate entry), LLaMA-Factory's
// `trainer_log.jsonl` (every line twice, `eval_loss: null` on training lines, evaluation on its own
// lines) and TensorBoard scalars (tag, step, wall_time). The readers below turn them into curves
// the way finetrack's importers do (loss → train/loss, eval_x → eval/x, aggregates left out).
import type { SeriesPoint } from "../src/curves/types";
import { createRng } from "../src/math/rng";
import { gaussian } from "./synthetic-curves";

export type LogEntry = Record<string, number | string | null>;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

interface HfSpec {
  maxSteps: number;
  stepsPerEpoch: number;
  loggingSteps: number;
  /** Steps of the evaluations (e.g. every 500, or epoch ends 1626, 3252, …). */
  evalSteps: number[];
  train: (step: number) => number;
  evalLoss: (step: number) => number;
  /** Extra eval_* values per evaluation (eval_wer, eval_f1, …). */
  evalMetrics?: (step: number) => Record<string, number>;
  learningRate: number;
  trainNoise?: number;
  evalNoise?: number;
  seed?: number;
}

/** A `trainer_state.json` log_history: what `Trainer.train()` leaves behind. */
export function hfLogHistory(spec: HfSpec): LogEntry[] {
  const rng = createRng(spec.seed ?? 1);
  const out: LogEntry[] = [];
  const epoch = (s: number) => round(s / spec.stepsPerEpoch, 2);
  const evals = new Set(spec.evalSteps);
  let sum = 0;
  let count = 0;
  for (let step = 1; step <= spec.maxSteps; step++) {
    const loss = spec.train(step) * (1 + (spec.trainNoise ?? 0.02) * gaussian(rng));
    sum += loss;
    count++;
    if (step % spec.loggingSteps === 0) {
      const lr = spec.learningRate * (1 - step / spec.maxSteps);
      out.push({ epoch: epoch(step), grad_norm: round(2 + rng(), 4), learning_rate: lr, loss: round(loss, 4), step });
    }
    if (evals.has(step)) {
      const value = spec.evalLoss(step);
      const noisy = Number.isFinite(value) ? round(value * (1 + (spec.evalNoise ?? 0.003) * gaussian(rng)), 4) : value;
      out.push({ epoch: epoch(step), eval_loss: noisy, ...spec.evalMetrics?.(step), eval_runtime: round(60 + rng(), 2), eval_samples_per_second: 12.5, eval_steps_per_second: 1.6, step });
    }
  }
  out.push({ epoch: epoch(spec.maxSteps), step: spec.maxSteps, total_flos: 1.8e18, train_loss: round(sum / count, 4), train_runtime: 25890.1, train_samples_per_second: 2.47, train_steps_per_second: 0.155 });
  return out;
}

const AGGREGATE_KEYS = ["train_runtime", "train_loss", "train_samples_per_second", "train_steps_per_second", "total_flos"];

/** One curve of a log_history the way the importer names it: `loss` → train/loss, `eval_wer` → eval/wer. */
export function hfCurve(history: LogEntry[], key: string): SeriesPoint[] {
  const field = key === "train/loss" ? "loss" : key.replace(/^eval\//, "eval_");
  const out: SeriesPoint[] = [];
  for (const e of history) {
    if (!("loss" in e) && AGGREGATE_KEYS.some((k) => k in e)) continue; // the end-of-training summary, not a point
    const v = e[field];
    if (typeof v === "number" && typeof e.step === "number") out.push({ step: e.step, value: v, epoch: typeof e.epoch === "number" ? e.epoch : undefined });
  }
  return out;
}

interface LlamaFactorySpec {
  totalSteps: number;
  loggingSteps: number;
  evalSteps: number;
  train: (step: number) => number;
  evalLoss: (step: number) => number;
  learningRate: number;
  seed?: number;
}

/** LLaMA-Factory's trainer_log.jsonl as lines (LogCallback writes each training line twice on some versions). */
export function llamaFactoryLog(spec: LlamaFactorySpec): string[] {
  const rng = createRng(spec.seed ?? 2);
  const lines: string[] = [];
  const secondsPerStep = 4.2;
  const clock = (s: number) => {
    const t = Math.round(s);
    const d = Math.floor(t / 86400);
    const hms = `${Math.floor((t % 86400) / 3600)}:${String(Math.floor((t % 3600) / 60)).padStart(2, "0")}:${String(t % 60).padStart(2, "0")}`;
    return d > 0 ? `${d} day${d > 1 ? "s" : ""}, ${hms}` : hms;
  };
  for (let step = spec.loggingSteps; step <= spec.totalSteps; step += spec.loggingSteps) {
    const common = { current_steps: step, total_steps: spec.totalSteps, epoch: round((3 * step) / spec.totalSteps, 2), percentage: round((100 * step) / spec.totalSteps, 2), elapsed_time: clock(step * secondsPerStep), remaining_time: clock((spec.totalSteps - step) * secondsPerStep) };
    const line = JSON.stringify({ ...common, loss: round(spec.train(step) * (1 + 0.02 * gaussian(rng)), 4), eval_loss: null, predict_loss: null, reward: null, accuracy: null, lr: spec.learningRate * (1 - step / spec.totalSteps) });
    lines.push(line, line);
    if (step % spec.evalSteps === 0) lines.push(JSON.stringify({ ...common, eval_loss: round(spec.evalLoss(step) * (1 + 0.003 * gaussian(rng)), 4) }));
  }
  return lines;
}

/** A trainer_log.jsonl field as a curve (one point per step, the later line wins, null is no point). */
export function llamaFactoryCurve(lines: string[], field: "loss" | "eval_loss"): SeriesPoint[] {
  const byStep = new Map<number, SeriesPoint>();
  for (const line of lines) {
    const e = JSON.parse(line) as LogEntry;
    const v = e[field];
    if (typeof v === "number" && typeof e.current_steps === "number") byStep.set(e.current_steps, { step: e.current_steps, value: v, epoch: e.epoch as number });
  }
  return [...byStep.values()];
}

/** TensorBoard scalars (tag, step, wall_time) as a SummaryWriter writes them: `Loss/train` per step, `Loss/val` per evaluation. */
export function tensorBoardScalars(spec: { steps: number; evalEvery: number; train: (s: number) => number; val: (s: number) => number; seed?: number }) {
  const rng = createRng(spec.seed ?? 3);
  const scalars: { tag: string; step: number; wallTime: number; value: number }[] = [];
  const start = 1_733_000_000;
  for (let step = 0; step < spec.steps; step++) {
    scalars.push({ tag: "Loss/train", step, wallTime: start + step * 0.35, value: spec.train(step) * (1 + 0.03 * gaussian(rng)) });
    if ((step + 1) % spec.evalEvery === 0) scalars.push({ tag: "Loss/val", step, wallTime: start + step * 0.35 + 4, value: spec.val(step) * (1 + 0.004 * gaussian(rng)) });
  }
  return scalars;
}

export function tensorBoardCurve(scalars: ReturnType<typeof tensorBoardScalars>, tag: string): SeriesPoint[] {
  return scalars.filter((s) => s.tag === tag).map((s) => ({ step: s.step, value: s.value, time: s.wallTime }));
}
