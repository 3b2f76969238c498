import type { MetricStat } from "@finetrack/contracts";

/** Metrics where lower is better; anything else follows the run's greater_is_better (HF's default: higher). */
const LOWER_IS_BETTER = /(^|[_/.])(wer|cer|mer|wil|ter|loss|perplexity|ppl|error|err|mae|mse|rmse)$/i;
const HIGHER_IS_BETTER = /(^|[_/.])(accuracy|acc|f1|f1_macro|f1_micro|macro_f1|precision|recall|rouge\w*|bleu|sacrebleu|chrf|exact_match|em|matthews_correlation|mcc|auc|roc_auc|pearson|spearmanr?)$/i;
/** Task metrics looked for beside the eval loss when the run names none, in this order. */
const KNOWN = ["wer", "cer", "f1", "accuracy", "acc", "exact_match", "rougeL", "rougeLsum", "rouge1", "rouge2", "bleu", "sacrebleu"];
const EVAL_PREFIXES = ["eval/", "eval_", "val/", "val_", "validation/", "valid/", "dev/"];

export type TaskMetricKey = { key: string; greaterIsBetter: boolean; selectsCheckpoint: boolean };

function own(record: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

function direction(key: string, flags: unknown[], best: unknown, stat: MetricStat | undefined): boolean {
  if (LOWER_IS_BETTER.test(key)) return false;
  if (HIGHER_IS_BETTER.test(key)) return true;
  const flag = flags.find((f) => typeof f === "boolean");
  if (typeof flag === "boolean") return flag;
  // The Trainer's best_metric is the metric's min or its max: that says which way is better.
  if (typeof best === "number" && stat && typeof stat.min === "number" && typeof stat.max === "number") {
    if (best === stat.min && best !== stat.max) return false;
    if (best === stat.max && best !== stat.min) return true;
  }
  return true;
}

/**
 * The task metric to read beside the validation loss: the run's `metric_for_best_model` (summary,
 * then config; `wer`, `eval_wer` and `eval/wer` name the same curve) unless it is a loss, else a
 * known one (WER, F1, accuracy, ROUGE, BLEU, …) logged under an evaluation prefix, which then does
 * not select the checkpoint. Needs ≥ 2 points.
 */
export function pickTaskMetric(
  stats: Record<string, MetricStat>,
  summary: Record<string, unknown>,
  config: Record<string, unknown>,
): TaskMetricKey | null {
  const curve = (k: string) => Object.prototype.hasOwnProperty.call(stats, k) && stats[k].count >= 2;
  const named = [own(summary, "metric_for_best_model"), own(config, "metric_for_best_model")].find((v) => typeof v === "string" && v !== "") as string | undefined;
  const flags = [own(config, "greater_is_better"), own(summary, "greater_is_better")];
  const base = named?.replace(/^eval[_/]/, "");
  // A checkpoint chosen by the loss: the diagnosis reads that loss already, and a metric beside it may disagree.
  if (named && base && !/loss$/i.test(base)) {
    const key = [`eval/${base}`, `eval_${base}`, named, base, ...EVAL_PREFIXES.map((p) => p + base)].find(curve);
    if (key) return { key, greaterIsBetter: direction(key, flags, own(summary, "best_metric"), stats[key]), selectsCheckpoint: true };
  }
  for (const name of KNOWN)
    for (const prefix of EVAL_PREFIXES) {
      const key = Object.keys(stats).find((k) => k.toLowerCase() === (prefix + name).toLowerCase() && curve(k));
      if (key) return { key, greaterIsBetter: direction(key, [], undefined, undefined), selectsCheckpoint: false };
    }
  return null;
}
