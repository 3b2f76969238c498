const TRAIN = "(?:train|training)";
const VAL = "(?:val|valid|validation|eval|dev)";
const re = (source: string) => new RegExp(`^${source}$`, "i");

// Tiers, best first: a plain name (train/loss, loss, train_loss, Loss/train), then the per-step and
// per-epoch spellings (Lightning's train_loss_step / train_loss_epoch, Keras's train/epoch_loss),
// then anything loss-like under the prefix. Within a tier the curve with the most points wins, so
// Lightning's per-step curve beats its per-epoch one.
const TRAIN_LOSS = [
  [re(`${TRAIN}[/_.]?loss`), re("loss"), re(`loss[/_.]${TRAIN}`)],
  [re(`${TRAIN}[/_.]loss[/_.](?:step|epoch)`), re(`${TRAIN}[/_.]epoch[/_.]loss`)],
  [re(`${TRAIN}[/_.](?!.*scale).*loss.*`), re(`(?!.*scale).*loss.*[/_.]${TRAIN}`)],
];
const VAL_LOSS = [
  [re(`${VAL}[/_.]?loss`), re(`loss[/_.]${VAL}`)],
  [re(`${VAL}[/_.]loss[/_.](?:epoch|step)`), re(`${VAL}[/_.]epoch[/_.]loss`)],
  [re(`${VAL}[/_.].*loss.*`), re(`.*loss.*[/_.]${VAL}`)],
];

const SUMMARY_LIKE = /(^|[/_.])(best|min|max|final|hparam)([/_.]|$)/i;

export type LossKeys = {
  trainKey: string | null;
  valKey: string | null;
  /** Loss-named keys passed over because they hold one point (an end-of-training aggregate such as HF's train_loss). */
  onePoint: string[];
};

function pick(keys: string[], tiers: RegExp[][], count: (key: string) => number, onePoint: Set<string>): string | null {
  for (const patterns of tiers) {
    const hits = keys.filter((k) => patterns.some((p) => p.test(k)));
    const curves = hits.filter((k) => count(k) !== 1);
    for (const k of hits) if (count(k) === 1) onePoint.add(k);
    // most points first; equal counts by name, so the choice does not depend on key order
    if (curves.length) return curves.sort((a, b) => count(b) - count(a) || (a < b ? -1 : 1))[0];
  }
  return null;
}

/**
 * The training and validation loss keys of a run, by the names loggers use (`train/loss`,
 * `eval_loss`, `Loss/val`, `train/loss_epoch`, …). `counts` (points per key, from the run's
 * metric stats) keeps one-point aggregates out: a curve is never chosen from a single point.
 */
export function pickLossKeys(keys: string[], counts: Record<string, number> = {}): LossKeys {
  const count = (k: string) => (Object.prototype.hasOwnProperty.call(counts, k) ? counts[k] : Infinity);
  const onePoint = new Set<string>();
  const isVal = new RegExp(`(^|[/_.])${VAL}([/_.]|$)`, "i");
  // Summary-like names (a running best, a final value) are not the curve even when logged per step.
  const curves = keys.filter((k) => !SUMMARY_LIKE.test(k));
  const trainKey = pick(curves.filter((k) => !isVal.test(k)), TRAIN_LOSS, count, onePoint);
  const valKey = pick(curves, VAL_LOSS, count, onePoint);
  return { trainKey, valKey, onePoint: [...onePoint].sort() };
}
