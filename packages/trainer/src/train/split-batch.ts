import type { Batch } from "./collate-batch";

export interface Shard {
  batch: Batch;
  /** The shard's share of the full batch's loss: its loss-weight total over the batch's, each
   *  floored at 1 as maskedCrossEntropy's denominator is, so Σ scale·loss(shard) = loss(batch). */
  scale: number;
}

const lossWeight = (b: Batch, from: number, to: number) => {
  if (b.kind === "classifier") return to - from;
  let w = 0;
  for (let i = from * b.t; i < to * b.t; i++) w += b.weights[i];
  return w;
};

/** Splits a batch into `parts` contiguous runs of rows (examples), as even as the rows allow. */
export function splitBatch(batch: Batch, parts: number): Shard[] {
  const total = Math.max(lossWeight(batch, 0, batch.b), 1);
  return Array.from({ length: parts }, (_, k) => {
    const from = Math.floor((k * batch.b) / parts);
    const to = Math.floor(((k + 1) * batch.b) / parts);
    const b = to - from;
    const scale = Math.max(lossWeight(batch, from, to), 1) / total;
    const tokens = Math.round((batch.tokens * b) / batch.b); // throughput bookkeeping only
    if (batch.kind === "classifier") {
      const d = batch.inputDim;
      return { scale, batch: { ...batch, b, tokens, features: batch.features.slice(from * d, to * d), labels: batch.labels.slice(from, to) } };
    }
    const [s, e] = [from * batch.t, to * batch.t];
    return { scale, batch: { ...batch, b, tokens, ids: batch.ids.slice(s, e), targets: batch.targets.slice(s, e), weights: batch.weights.slice(s, e) } };
  });
}
