/** Global L2 norm of all gradients and the factor that scales them to norm ≤ maxNorm
 *  (0 = no clipping), as torch.nn.utils.clip_grad_norm_. */
export function clipGrads(grads: Float32Array[], maxNorm: number): { norm: number; scale: number } {
  let sq = 0;
  for (const g of grads) for (let i = 0; i < g.length; i++) sq += g[i] * g[i];
  const norm = Math.sqrt(sq);
  return { norm, scale: maxNorm > 0 ? Math.min(1, maxNorm / (norm + 1e-6)) : 1 };
}
