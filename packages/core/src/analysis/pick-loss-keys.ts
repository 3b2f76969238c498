const TRAIN_LOSS = [/^(train|training)[/_.]loss$/i, /^loss$/i, /^(train|training)[/_.].*loss/i];
const VAL_LOSS = [/^(val|valid|validation|eval)[/_.]loss$/i, /^(val|valid|validation|eval)_?loss$/i, /^(val|valid|validation|eval)[/_.].*loss/i];

function firstMatch(keys: string[], patterns: RegExp[]): string | null {
  for (const p of patterns) {
    const hit = keys.find((k) => p.test(k));
    if (hit) return hit;
  }
  return null;
}

/** The training and validation loss keys of a run, by the names loggers use (`train/loss`, `eval_loss`, …). */
export function pickLossKeys(keys: string[]): { trainKey: string | null; valKey: string | null } {
  const sorted = [...keys].sort();
  return { trainKey: firstMatch(sorted, TRAIN_LOSS), valKey: firstMatch(sorted, VAL_LOSS) };
}
