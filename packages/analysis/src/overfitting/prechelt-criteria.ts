/** Prechelt (1998) GL(t) = 100·(E_va(t)/E_opt(t) − 1), E_opt the best validation loss so far. */
export function generalizationLoss(val: Float64Array): Float64Array {
  const out = new Float64Array(val.length);
  let best = Infinity;
  for (let i = 0; i < val.length; i++) {
    if (val[i] < best) best = val[i];
    out[i] = best > 0 && Number.isFinite(best) ? 100 * (val[i] / best - 1) : NaN;
  }
  return out;
}

/**
 * Prechelt's training progress P_k(t) = 1000·(Σ E_tr / (k·min E_tr) − 1) over the last k
 * strips; here a strip is the stretch between two evaluations (its mean training loss).
 */
export function trainingProgress(trainPerEval: Float64Array, k: number): Float64Array {
  const out = new Float64Array(trainPerEval.length).fill(NaN);
  for (let i = k - 1; i < trainPerEval.length; i++) {
    let sum = 0;
    let min = Infinity;
    for (let j = i - k + 1; j <= i; j++) {
      sum += trainPerEval[j];
      if (trainPerEval[j] < min) min = trainPerEval[j];
    }
    out[i] = min > 0 ? 1000 * (sum / (k * min) - 1) : NaN;
  }
  return out;
}
