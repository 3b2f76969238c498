import type { Series, SeriesPoint } from "../curves/types";

/**
 * The run's config as the trainer logs it (snake_case, LLaMA-Factory names). Every key is
 * optional; advice only mentions settings that are present (or clearly absent, like early stopping).
 * camelCase spellings (learningRate, trainSize, …) are accepted too.
 */
export interface RunConfig {
  learning_rate?: number;
  dropout?: number;
  lora_dropout?: number;
  weight_decay?: number;
  l1?: number;
  l2?: number;
  finetuning_type?: string;
  lora_rank?: number;
  freeze_trainable_layers?: number;
  num_train_epochs?: number;
  max_steps?: number;
  early_stopping_patience?: number | null;
  early_stopping_min_delta?: number;
  /** Fraction of training batches that are augmented (0 = none). */
  augmentation_rate?: number;
  /** Number of training examples (from the dataset record if the config lacks it). */
  train_size?: number;
  validation_size?: number;
  per_device_train_batch_size?: number;
  max_grad_norm?: number;
  [key: string]: unknown;
}

export type OverfittingVerdict =
  | "still_improving"
  | "good_fit"
  | "overfitting"
  | "underfitting"
  | "diverged"
  | "too_short"
  /** The loss overfits but the task metric (WER, accuracy, …) kept improving after the loss's best. */
  | "metric_still_improving"
  /** Train and validation loss both got worse from the first evaluation on (unstable or too high a learning rate). */
  | "degrading"
  /** Validation loss is NaN/Inf while training loss stays finite and falls: the evaluation, not the model, is broken. */
  | "eval_broken";

/** A task metric evaluated beside the validation loss (eval/wer, eval/accuracy, …). */
export interface TaskMetricInput {
  /** The metric's key, for messages (`eval/wer`). */
  name: string;
  series: Series;
  greaterIsBetter: boolean;
  /** True when the run selects its checkpoint by this metric (HF `metric_for_best_model`): early stopping replays it. */
  selectsCheckpoint?: boolean;
}

/** How the task metric moved, read against the validation loss. */
export interface TaskMetricReading {
  name: string;
  greaterIsBetter: boolean;
  selectsCheckpoint: boolean;
  /** Finite evaluations of the metric. */
  points: number;
  best: { step: number; value: number } | null;
  final: { step: number; value: number } | null;
  /** The metric at the evaluation where validation loss was best (nearest one). */
  atLossBest: { step: number; value: number } | null;
  /** Relative improvement of the smoothed metric after the loss's best evaluation (> 0 = it got better after the loss bottomed out). */
  improvementAfterLossBest: number;
  /** That improvement is ≥ 0.5 % and ≥ 2σ of the metric's noise: the verdict reads it as still improving. */
  improvesAfterLossBest: boolean;
  /** Robust σ of the metric around its smoothed curve. */
  noiseSigma: number;
  /** Relative change from its best to the end, signed so that > 0 = worse. */
  declineFromBest: number;
}

export interface EarlyStoppingOptions {
  /** Evaluations without improvement before stopping (Keras/HF semantics). Default 3. */
  patience?: number;
  /** An evaluation improves when it beats the best by more than this. Default 0. */
  minDelta?: number;
  /** Whether lower (loss, default) or higher (accuracy) is better. */
  mode?: "min" | "max";
  /** Training series: only used to know where the run really ended (its last step / time). */
  train?: readonly SeriesPoint[];
  /** Name of what is replayed, for messages. Default "loss" (mode min) or "metric" (mode max). */
  monitor?: string;
}

/** What early stopping with `patience` / `minDelta` would have done to this run. */
export interface EarlyStoppingWhatIf {
  /** What was replayed: "loss" (the validation loss) or the task metric's name. */
  monitor: string;
  patience: number;
  minDelta: number;
  /** False when the run ended before patience ran out. */
  stopped: boolean;
  /** Step of the evaluation at which training would have stopped (null if it never would). */
  stopStep: number | null;
  /** Best evaluation seen by then (the weights restore_best would keep). */
  bestStepAtStop: number | null;
  bestValueAtStop: number | null;
  /** The value of the evaluation at the stop step itself. */
  valueAtStop: number | null;
  /** Best evaluation of the whole run as logged. */
  overallBestStep: number | null;
  overallBestValue: number | null;
  /** bestValueAtStop − overallBestValue, signed so that > 0 means early stopping lost quality. */
  lossVsOverallBest: number | null;
  /** Steps between the stop and the run's last logged step. */
  stepsSaved: number;
  /** stepsSaved / (last step − first step). */
  fractionSaved: number;
  evaluationsSaved: number;
  /** Wall-clock seconds saved, when the points carry `time` (null otherwise). */
  wallSecondsSaved: number | null;
  /** Median steps between this run's evaluations: patience N waits about N × this many steps. */
  evaluationSpacingSteps: number | null;
}

export type AdviceId =
  | "early_stopping"
  | "more_data"
  | "augmentation"
  | "dropout"
  | "weight_decay"
  | "l2"
  | "l1"
  | "lower_lora_rank"
  | "smaller_model"
  | "fewer_epochs"
  | "lower_learning_rate"
  | "cross_validation"
  | "train_longer"
  | "higher_learning_rate"
  | "more_capacity"
  | "less_regularization"
  | "gradient_clipping"
  | "check_data"
  | "select_by_metric"
  | "warmup"
  | "fix_evaluation";

/** One concrete suggestion, tied to a config key where there is one. */
export interface Advice {
  id: AdviceId;
  /** 1 = do this first. */
  priority: 1 | 2 | 3;
  /** One line, with the run's own numbers ("dropout is 0 — try 0.1–0.3"). */
  message: string;
  /** Config key the advice is about, if any. */
  setting?: string;
  current?: number | string | null;
  /** Suggested value or [low, high] range. */
  suggested?: number | string | [number, number];
}

export interface DiagnoseOptions {
  config?: RunConfig;
  /** Patience/minDelta for the headline what-if; default the config's, else 3 / 0. */
  patience?: number;
  minDelta?: number;
  /** Patiences for the what-if table. Default [1, 2, 3, 5, 10]. */
  whatIfPatiences?: number[];
  /** Fewer finite validation points than this is "too_short". Default 5. */
  minValidationPoints?: number;
  /** A loss above this multiple of its running minimum (and above its first value) is an explosion. Default 10. */
  explosionFactor?: number;
  /** Prechelt's training strip length k for P_k(t), in evaluations. Default 5. */
  stripLength?: number;
  /** The gap / GL / P_k series come back chart-ready: at most this many points (min/max buckets). Default 2000. */
  maxSeriesPoints?: number;
  /** A task metric evaluated beside the loss: the verdict reads both. */
  metric?: TaskMetricInput;
}

/** Validation compared with training at one validation step. */
export interface GapPoint {
  step: number;
  /** Mean training loss over the steps since the previous evaluation (interpolated if none). */
  train: number;
  val: number;
  /** val − train. */
  gap: number;
}

/** The numbers the verdict was drawn from (NaN when not computable). */
export interface DiagnosisEvidence {
  trainPoints: number;
  valPoints: number;
  /** Robust σ of validation noise (residual around the smoothed curve). */
  valNoiseSigma: number;
  /** σ (in steps) of the Gaussian used to smooth validation for trend detection. */
  smoothingSigmaSteps: number;
  /** Relative drop of smoothed validation from its start to its minimum. */
  valImprovement: number;
  /** Rise of smoothed validation from its minimum to the end, relative to the minimum. */
  valRiseFromBest: number;
  /** The same rise in units of valNoiseSigma. */
  valRiseInNoiseUnits: number;
  /** t statistic of the validation slope after the onset candidate. */
  valSlopeTAfterOnset: number;
  /** t statistic of the training slope after the onset candidate (negative = still falling). */
  trainSlopeTAfterOnset: number;
  /** Relative change of training loss after the onset candidate (negative = falling). */
  trainChangeAfterOnset: number;
  /** t statistic and relative change of validation over the last quarter of the run. */
  recentValSlopeT: number;
  recentValChange: number;
  recentTrainChange: number;
  /** 1 − final/initial training loss (smoothed). */
  trainReduction: number;
  /** Final gap relative to final validation loss. */
  relativeFinalGap: number;
  finalGeneralizationLoss: number;
  maxGeneralizationLoss: number;
  finalTrainingProgress: number;
  /** Fraction of the run (in steps) covered when validation bottomed out. */
  bestAtFraction: number;
  /** First and last step logged in either curve. */
  firstStep: number;
  lastStep: number;
}

export interface OverfittingDiagnosis {
  verdict: OverfittingVerdict;
  /** 0..1: how clearly the numbers support the verdict. */
  confidence: number;
  /** One line for the dashboard. */
  summary: string;
  /** Human-readable reasons with the numbers behind them. */
  reasons: string[];
  /** Overfitting only: first step after which validation keeps rising while training keeps falling. */
  onsetStep: number | null;
  /** Lowest validation loss as logged. */
  best: { step: number; value: number; epoch?: number } | null;
  final: { step: number; train: number; val: number; gap: number } | null;
  /** Per validation step (at most `maxSeriesPoints`, min/max per bucket kept); NaN-gap points are left out. */
  gap: GapPoint[];
  finalGap: number | null;
  /** Prechelt's GL(t) = 100·(E_va(t)/E_opt(t) − 1), per validation step. */
  generalizationLoss: { step: number; value: number }[];
  /** Prechelt's P_k(t) = 1000·(mean/min of the last k training losses − 1), per validation step. */
  trainingProgress: { step: number; value: number }[];
  stripLength: number;
  /** Fewer evaluations than SPARSE_EVALUATIONS: the confidence is capped and the summary says so. */
  sparse: boolean;
  /** The task metric read beside the loss (null when the run has none). */
  metric: TaskMetricReading | null;
  /**
   * Where training broke: NaN/Inf, an explosion, or both losses climbing together ("unstable"),
   * all `persistent`; else the first NaN/Inf point a curve recovered from
   * (`persistent: false`: left out, the verdict comes from the finite points).
   */
  divergence: { step: number; series: "train" | "val"; reason: "non_finite" | "explosion" | "unstable"; value: number; persistent: boolean } | null;
  evidence: DiagnosisEvidence;
  earlyStopping: EarlyStoppingWhatIf;
  earlyStoppingTable: EarlyStoppingWhatIf[];
  advice: Advice[];
}
