import { fmt, pct } from "./format-number";
import { readConfig, type NormalizedConfig } from "./read-config";
import type { Advice, EarlyStoppingWhatIf, OverfittingDiagnosis, RunConfig } from "./types";

export interface AdviceContext {
  /** Maps a step to an epoch (null when unknown); the diagnosis passes one built from the curves. */
  epochAtStep?: (step: number) => number | null;
}

type DiagnosisFacts = Pick<
  OverfittingDiagnosis,
  "verdict" | "onsetStep" | "best" | "evidence" | "earlyStopping" | "earlyStoppingTable" | "divergence"
> & Partial<Pick<OverfittingDiagnosis, "metric">>;

const SMALL_TRAIN_SET = 10_000;
const CV_TRAIN_SET = 2_000;
const CV_VALIDATION_SET = 500;

/**
 * Concrete, config-specific advice for a diagnosed run, drawn from the known cures of
 * overfitting (early stopping, more data / augmentation, dropout, L1 / L2 / weight decay, a
 * smaller model or LoRA rank, fewer epochs, a lower learning rate, cross-validation) — and their
 * opposites for underfitting, stability fixes for divergence. A cure is only suggested when the
 * run's config shows it is not already applied ("dropout is 0 — try 0.1–0.3"); sorted by priority.
 */
export function adviseOverfitting(d: DiagnosisFacts, config?: RunConfig, context: AdviceContext = {}): Advice[] {
  const c = readConfig(config);
  const out: Advice[] = [];
  if (d.verdict === "overfitting") adviseForOverfitting(d, c, context, out);
  else if (d.verdict === "diverged") adviseForDivergence(d, c, out);
  else if (d.verdict === "metric_still_improving") adviseForMetric(d, c, config, out);
  else if (d.verdict === "degrading") adviseForDegrading(c, config, out);
  else if (d.verdict === "eval_broken") adviseForBrokenEvaluation(d, out);
  else if (d.verdict === "still_improving") adviseForImproving(d, c, out);
  else if (d.verdict === "underfitting") adviseForUnderfitting(c, out);
  else if (d.verdict === "good_fit") adviseEarlyStopping(d, c, out, 2);
  return out.sort((a, b) => a.priority - b.priority);
}

/**
 * The most patient what-if that still stops early (≥ 10% of the run saved) while losing at most
 * 0.5% of the best value: more patience is safer on noisy curves.
 */
function bestWhatIf(table: EarlyStoppingWhatIf[]): EarlyStoppingWhatIf | null {
  const ok = table.filter((w) => w.stopped && w.fractionSaved >= 0.1 && (w.lossVsOverallBest ?? Infinity) <= 0.005 * Math.abs(w.overallBestValue ?? 0));
  return ok.sort((a, b) => b.patience - a.patience)[0] ?? null;
}

function adviseEarlyStopping(d: DiagnosisFacts, c: NormalizedConfig, out: Advice[], priority: 1 | 2): void {
  const w = bestWhatIf(d.earlyStoppingTable);
  if (!w) return;
  const saved = `saving ${fmt(w.stepsSaved)} steps (${pct(w.fractionSaved, 2)})${w.wallSecondsSaved && Math.round(w.wallSecondsSaved) > 0 ? ` and ${fmt(Math.round(w.wallSecondsSaved))} s` : ""}`;
  const watched = w.monitor === "loss" ? "val loss" : w.monitor;
  // Patience counts evaluations: say what it means in this run's steps.
  const span = w.evaluationSpacingSteps !== null ? ` after ${w.patience} evaluation${w.patience > 1 ? "s" : ""} without improvement (${fmt(w.patience * w.evaluationSpacingSteps)} steps at this run's evaluation every ${fmt(w.evaluationSpacingSteps)})` : "";
  const outcome = `would have stopped at step ${fmt(w.stopStep)} keeping ${watched} ${fmt(w.bestValueAtStop)} (best ${fmt(w.overallBestValue)})${span}, ${saved}`;
  const patience = c.earlyStoppingPatience;
  if (patience === undefined || patience === null) {
    out.push({ id: "early_stopping", priority, setting: "early_stopping_patience", current: patience ?? null, suggested: w.patience, message: `early stopping is off — with early_stopping_patience ${w.patience} it ${outcome}` });
  } else if (w.patience < patience && !stoppedWithin(d.earlyStoppingTable, patience)) {
    out.push({ id: "early_stopping", priority, setting: "early_stopping_patience", current: patience, suggested: w.patience, message: `early_stopping_patience is ${patience} and never triggered — patience ${w.patience} ${outcome}` });
  }
  if (c.restoreBest === false) out.push({ id: "early_stopping", priority: 2, setting: "restore_best", current: "false", suggested: "true", message: "restore_best is false — keep the best checkpoint, not the last one" });
}

function stoppedWithin(table: EarlyStoppingWhatIf[], patience: number): boolean {
  return table.some((w) => w.patience === patience && w.stopped);
}

function adviseForOverfitting(d: DiagnosisFacts, c: NormalizedConfig, ctx: AdviceContext, out: Advice[]): void {
  adviseEarlyStopping(d, c, out, 1);
  const e = d.evidence;
  const bestEpoch = d.best ? ctx.epochAtStep?.(d.best.step) ?? null : null;
  if (c.numTrainEpochs !== undefined && bestEpoch !== null && bestEpoch < 0.8 * c.numTrainEpochs) {
    const lo = Math.max(1, Math.ceil(bestEpoch));
    out.push({ id: "fewer_epochs", priority: 1, setting: "num_train_epochs", current: c.numTrainEpochs, suggested: [lo, lo + 1], message: `num_train_epochs is ${fmt(c.numTrainEpochs)} but val loss bottomed out at epoch ≈${fmt(bestEpoch, 2)} — use ${lo}–${lo + 1}` });
  } else if (c.maxSteps && c.maxSteps > 0 && d.best && d.best.step < 0.8 * c.maxSteps) {
    out.push({ id: "fewer_epochs", priority: 1, setting: "max_steps", current: c.maxSteps, suggested: Math.ceil(d.best.step * 1.1), message: `max_steps is ${fmt(c.maxSteps)} but val loss bottomed out at step ${fmt(d.best.step)} — use ≈${fmt(Math.ceil(d.best.step * 1.1))}` });
  }
  if (c.trainSize !== undefined && c.trainSize < SMALL_TRAIN_SET)
    out.push({ id: "more_data", priority: 2, setting: "train_size", current: c.trainSize, message: `only ${fmt(c.trainSize)} training examples — more (or more varied) data is the most reliable cure` });
  if (c.augmentationRate !== undefined && c.augmentationRate < 0.1)
    out.push({ id: "augmentation", priority: 2, setting: "augmentation_rate", current: c.augmentationRate, suggested: [0.2, 0.5], message: `augmentation_rate is ${fmt(c.augmentationRate)} — augment 20–50% of batches` });
  raise(out, "dropout", "dropout", c.dropout, [0.1, 0.3], 0.3, 2);
  if (c.finetuningType === "lora" || c.finetuningType === "qlora") raise(out, "dropout", "lora_dropout", c.loraDropout, [0.05, 0.1], 0.1, 2);
  raise(out, "weight_decay", "weight_decay", c.weightDecay, [0.01, 0.1], 0.1, 2);
  raise(out, "l2", "l2", c.l2, [1e-4, 1e-3], 1e-3, 3);
  if (c.l1 !== undefined && c.l1 === 0)
    out.push({ id: "l1", priority: 3, setting: "l1", current: 0, suggested: [1e-5, 1e-4], message: "l1 is 0 — 1e-5–1e-4 pushes unneeded weights to zero" });
  capacityAdvice(c, out);
  if (c.learningRate !== undefined && e.bestAtFraction < 0.3)
    out.push({ id: "lower_learning_rate", priority: 2, setting: "learning_rate", current: c.learningRate, suggested: [c.learningRate / 3, c.learningRate / 2], message: `val loss bottomed out after ${pct(e.bestAtFraction, 2)} of training — learning_rate ${fmt(c.learningRate)} is likely too high; try ${fmt(c.learningRate / 3, 2)}–${fmt(c.learningRate / 2, 2)}` });
  if ((c.trainSize !== undefined && c.trainSize < CV_TRAIN_SET) || (c.validationSize !== undefined && c.validationSize < CV_VALIDATION_SET)) {
    const sizes = [c.trainSize !== undefined ? `${fmt(c.trainSize)} train` : "", c.validationSize !== undefined ? `${fmt(c.validationSize)} validation` : ""].filter(Boolean).join(" / ");
    out.push({ id: "cross_validation", priority: 3, message: `with ${sizes} examples one split is a noisy guide — choose epochs and regularisation by k-fold cross-validation` });
  }
}

/** "dropout is 0 — try 0.1–0.3", or "raise dropout from 0.1 towards 0.3"; nothing when already at `enough`. */
function raise(out: Advice[], id: Advice["id"], key: string, current: number | undefined, range: [number, number], enough: number, priority: 1 | 2 | 3): void {
  if (current === undefined || current >= enough) return;
  if (current < range[0]) out.push({ id, priority, setting: key, current, suggested: range, message: `${key} is ${fmt(current)} — try ${fmt(range[0])}–${fmt(range[1])}` });
  else out.push({ id, priority: 3, setting: key, current, suggested: enough, message: `${key} is ${fmt(current)} — raise it towards ${fmt(enough)}` });
}

function capacityAdvice(c: NormalizedConfig, out: Advice[]): void {
  const ft = c.finetuningType;
  if ((ft === "lora" || ft === "qlora") && c.loraRank !== undefined && c.loraRank > 8) {
    const lo = Math.max(4, Math.round(c.loraRank / 4));
    const hi = Math.max(lo, Math.round(c.loraRank / 2));
    out.push({ id: "lower_lora_rank", priority: 2, setting: "lora_rank", current: c.loraRank, suggested: [lo, hi], message: `lora_rank is ${c.loraRank} — try ${lo}–${hi}: fewer trainable parameters memorise less` });
  } else if (ft === "full") {
    out.push({ id: "smaller_model", priority: 3, setting: "finetuning_type", current: "full", suggested: "lora", message: "full fine-tuning trains every weight — LoRA (rank 8) or freezing all but the top layers trains far fewer" });
  } else if (ft === "freeze" && c.freezeTrainableLayers !== undefined && c.freezeTrainableLayers > 1) {
    out.push({ id: "smaller_model", priority: 3, setting: "freeze_trainable_layers", current: c.freezeTrainableLayers, suggested: [1, Math.max(1, c.freezeTrainableLayers - 1)], message: `freeze_trainable_layers is ${c.freezeTrainableLayers} — train fewer top layers` });
  }
}

/** The loss overfits while the task metric improves: choose the checkpoint by the metric, stop by it. */
function adviseForMetric(d: DiagnosisFacts, c: NormalizedConfig, config: RunConfig | undefined, out: Advice[]): void {
  const m = d.metric;
  if (!m?.best) return;
  const short = m.name.replace(/^(eval|val|validation)[/_]/, "");
  const chosen = typeof config?.metric_for_best_model === "string" ? config.metric_for_best_model.replace(/^eval_/, "") : undefined;
  if (m.selectsCheckpoint || chosen === short) {
    out.push({ id: "select_by_metric", priority: 1, setting: "metric_for_best_model", current: chosen ?? short, message: `the checkpoint is already chosen by ${m.name} — keep it that way: the best by ${m.name} is step ${fmt(m.best.step)} (${fmt(m.best.value)}), the best by val loss step ${fmt(d.best?.step)}` });
  } else {
    out.push({ id: "select_by_metric", priority: 1, setting: "metric_for_best_model", current: chosen ?? null, suggested: short, message: `keep the checkpoint by ${m.name} (step ${fmt(m.best.step)}, ${fmt(m.best.value)}), not by val loss (step ${fmt(d.best?.step)}): metric_for_best_model="${short}", greater_is_better=${m.greaterIsBetter ? "True" : "False"}, load_best_model_at_end=True` });
  }
  if (m.selectsCheckpoint) adviseEarlyStopping(d, c, out, 2);
}

function adviseForDegrading(c: NormalizedConfig, config: RunConfig | undefined, out: Advice[]): void {
  const lr = c.learningRate;
  if (lr !== undefined)
    out.push({ id: "lower_learning_rate", priority: 1, setting: "learning_rate", current: lr, suggested: [lr / 10, lr / 3], message: `train and val loss both got worse after the first evaluation — lower learning_rate ${fmt(lr)} 3–10× (${fmt(lr / 10, 2)}–${fmt(lr / 3, 2)})` });
  else out.push({ id: "lower_learning_rate", priority: 1, message: "train and val loss both got worse after the first evaluation — lower the learning rate 3–10×" });
  const warmup = [config?.warmup_ratio, config?.warmup_steps].filter((v) => typeof v === "number");
  if (warmup.length > 0 && warmup.every((v) => v === 0))
    out.push({ id: "warmup", priority: 2, setting: "warmup_ratio", current: 0, suggested: [0.03, 0.1], message: "no learning-rate warmup — warm up over 3–10% of the steps (warmup_ratio 0.03–0.1)" });
  if (c.maxGradNorm !== undefined && c.maxGradNorm === 0)
    out.push({ id: "gradient_clipping", priority: 2, setting: "max_grad_norm", current: 0, suggested: 1, message: "max_grad_norm is 0 (no clipping) — clip the gradient norm at 1.0" });
}

function adviseForBrokenEvaluation(d: DiagnosisFacts, out: Advice[]): void {
  const v = d.divergence?.value ?? NaN;
  out.push({ id: "fix_evaluation", priority: 1, message: `val loss is ${v} while train loss falls — check the evaluation: fp16 overflow in eval (evaluate in fp32/bf16), batches whose labels are all padding (-100), an empty or mis-tokenised validation set` });
  out.push({ id: "check_data", priority: 2, message: "look at a few validation examples as the model sees them (after tokenisation and label masking)" });
}

function adviseForDivergence(d: DiagnosisFacts, c: NormalizedConfig, out: Advice[]): void {
  const lr = c.learningRate;
  const when = d.divergence ? ` at step ${fmt(d.divergence.step)}` : "";
  if (lr !== undefined)
    out.push({ id: "lower_learning_rate", priority: 1, setting: "learning_rate", current: lr, suggested: [lr / 10, lr / 3], message: `training broke${when} — lower learning_rate ${fmt(lr)} 3–10× (${fmt(lr / 10, 2)}–${fmt(lr / 3, 2)})` });
  if (c.maxGradNorm !== undefined && c.maxGradNorm === 0)
    out.push({ id: "gradient_clipping", priority: 1, setting: "max_grad_norm", current: 0, suggested: 1, message: "max_grad_norm is 0 (no clipping) — clip the gradient norm at 1.0" });
  if (d.divergence?.series === "val" && d.divergence.reason === "non_finite")
    out.push({ id: "check_data", priority: 2, message: `val loss became ${d.divergence.value} while train loss stayed finite — check the validation set for empty or invalid examples` });
}

function adviseForImproving(d: DiagnosisFacts, c: NormalizedConfig, out: Advice[]): void {
  const drop = pct(-d.evidence.recentValChange, 2);
  if (c.numTrainEpochs !== undefined) {
    const e = c.numTrainEpochs;
    const [lo, hi] = [Math.ceil(e * 1.5), e * 2];
    out.push({ id: "train_longer", priority: 1, setting: "num_train_epochs", current: e, suggested: lo < hi ? [lo, hi] : hi, message: `val loss still fell ${drop} over the last quarter — raise num_train_epochs from ${fmt(e)} to ${lo < hi ? `${lo}–${hi}` : hi}` });
  } else out.push({ id: "train_longer", priority: 1, message: `val loss still fell ${drop} over the last quarter — train longer` });
  if (c.earlyStoppingPatience !== undefined && c.earlyStoppingPatience !== null && d.earlyStopping.stopped)
    out.push({ id: "early_stopping", priority: 2, setting: "early_stopping_patience", current: c.earlyStoppingPatience, message: `early stopping (patience ${c.earlyStoppingPatience}) would have cut a still-improving run — raise patience or min_delta` });
}

function adviseForUnderfitting(c: NormalizedConfig, out: Advice[]): void {
  const lr = c.learningRate;
  if (lr !== undefined)
    out.push({ id: "higher_learning_rate", priority: 1, setting: "learning_rate", current: lr, suggested: [lr * 3, lr * 10], message: `train loss barely moved — raise learning_rate ${fmt(lr)} 3–10× (${fmt(lr * 3, 2)}–${fmt(lr * 10, 2)})` });
  if (c.numTrainEpochs !== undefined)
    out.push({ id: "train_longer", priority: 2, setting: "num_train_epochs", current: c.numTrainEpochs, suggested: [c.numTrainEpochs * 2, c.numTrainEpochs * 3], message: `num_train_epochs is ${fmt(c.numTrainEpochs)} — try ${c.numTrainEpochs * 2}–${c.numTrainEpochs * 3}` });
  const ft = c.finetuningType;
  if ((ft === "lora" || ft === "qlora") && c.loraRank !== undefined && c.loraRank <= 16)
    out.push({ id: "more_capacity", priority: 2, setting: "lora_rank", current: c.loraRank, suggested: [c.loraRank * 2, c.loraRank * 4], message: `lora_rank is ${c.loraRank} — try ${c.loraRank * 2}–${c.loraRank * 4}` });
  if (ft === "freeze") out.push({ id: "more_capacity", priority: 2, setting: "freeze_trainable_layers", current: c.freezeTrainableLayers ?? null, message: "train more top layers (or use LoRA on all layers)" });
  for (const [key, v, high] of [["dropout", c.dropout, 0.3], ["weight_decay", c.weightDecay, 0.1], ["l2", c.l2, 1e-3], ["l1", c.l1, 1e-4]] as const)
    if (v !== undefined && v >= high) out.push({ id: "less_regularization", priority: 2, setting: key, current: v, suggested: v / 3, message: `${key} is ${fmt(v)} — too much regularisation for a model that cannot fit; try ${fmt(v / 3, 2)}` });
}
