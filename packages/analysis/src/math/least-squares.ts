/**
 * Residual sum of squares and rank of the least-squares fit of y on `columns`, by modified
 * Gram–Schmidt with one re-orthogonalisation pass; a column whose remainder is below 1e-9 of its
 * norm is linearly dependent and skipped, so rank-deficient designs (empty cells) are fine.
 */
export function leastSquaresRss(columns: Float64Array[], y: Float64Array): { rss: number; rank: number } {
  const n = y.length;
  const basis: Float64Array[] = [];
  const r = Float64Array.from(y);
  for (const col of columns) {
    const v = Float64Array.from(col);
    const norm0 = Math.sqrt(dot(v, v));
    if (norm0 === 0) continue;
    for (let pass = 0; pass < 2; pass++)
      for (const q of basis) {
        const c = dot(q, v);
        for (let i = 0; i < n; i++) v[i] -= c * q[i];
      }
    const norm = Math.sqrt(dot(v, v));
    if (norm <= 1e-9 * norm0) continue;
    for (let i = 0; i < n; i++) v[i] /= norm;
    basis.push(v);
    const c = dot(v, r);
    for (let i = 0; i < n; i++) r[i] -= c * v[i];
  }
  // Project once more for accuracy of the residual.
  for (const q of basis) {
    const c = dot(q, r);
    for (let i = 0; i < n; i++) r[i] -= c * q[i];
  }
  return { rss: dot(r, r), rank: basis.length };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
