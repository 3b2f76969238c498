/** Split prefixes that name the data split of a metric (`train/loss`, `val_loss`, `eval.loss`). */
const SPLIT = /^(train|training|val|valid|validation|eval|test)([/_.])(.+)$/i;

export type Split = "train" | "val" | "test" | null;

export function splitOf(key: string): { split: Split; base: string } {
  const m = SPLIT.exec(key);
  if (!m) return { split: null, base: key };
  const p = m[1].toLowerCase();
  const split: Split = p.startsWith("train") ? "train" : p === "test" ? "test" : "val";
  return { split, base: m[3] };
}

/** Metric keys grouped so that train/val/test of one quantity share a chart (and axes). */
export function groupMetricKeys(keys: string[]): { title: string; keys: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const { base } = splitOf(key);
    const list = groups.get(base) ?? [];
    list.push(key);
    groups.set(base, list);
  }
  return [...groups.entries()]
    .map(([title, ks]) => ({ title: ks.length > 1 ? title : ks[0], keys: ks }))
    .sort((a, b) => Number(!/loss/i.test(a.title)) - Number(!/loss/i.test(b.title)) || a.title.localeCompare(b.title));
}
