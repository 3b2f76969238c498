import { createRng, randomInt, type Rng } from "../math/rng";

/**
 * A regression tree in flat arrays. Numeric splits send x <= threshold left; categorical splits
 * send the levels in `catLeft[node]` left (a categorical factor is one feature whose split is a
 * subset of its levels, found exactly by ordering levels by mean target — Breiman's rule for
 * squared error).
 */
export interface Tree {
  feature: number[];
  threshold: number[];
  catLeft: (Uint8Array | null)[];
  left: number[];
  right: number[];
  value: number[];
  count: number[];
  /** SSE decrease of the split at the node (0 for leaves). */
  gain: number[];
  /** Rows (of the training data) that were out of bag for this tree. */
  oob: Int32Array;
}

export interface ForestOptions {
  /** Default 64 (Optuna's fANOVA). */
  trees?: number;
  /** Default 64. */
  maxDepth?: number;
  /** Default 1. */
  minSamplesLeaf?: number;
  /** Features tried per split; default all (sklearn's RandomForestRegressor default). */
  maxFeatures?: number;
  seed?: number;
}

export interface ForestData {
  columns: Float64Array[];
  /** 0 for numeric features, else the number of levels. */
  levels: number[];
  y: Float64Array;
}

export function growForest(data: ForestData, options: ForestOptions = {}): Tree[] {
  const nTrees = options.trees ?? 64;
  const rng = createRng(options.seed ?? 42);
  const sorted = data.columns.map((col, f) =>
    data.levels[f] > 0 ? null : Int32Array.from({ length: col.length }, (_, i) => i).sort((a, b) => col[a] - col[b] || a - b),
  );
  const trees: Tree[] = [];
  for (let t = 0; t < nTrees; t++) trees.push(growTree(data, sorted, options, rng));
  return trees;
}

function growTree(data: ForestData, sorted: (Int32Array | null)[], o: ForestOptions, rng: Rng): Tree {
  const n = data.y.length;
  const p = data.columns.length;
  const maxDepth = o.maxDepth ?? 64;
  const minLeaf = o.minSamplesLeaf ?? 1;
  const mtry = Math.min(p, o.maxFeatures ?? p);
  const counts = new Int32Array(n);
  for (let i = 0; i < n; i++) counts[randomInt(rng, n)]++;
  // Bootstrap positions grouped by row: row r owns positions [start[r], start[r] + counts[r]).
  const start = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) start[r + 1] = start[r] + counts[r];
  const rowOf = new Int32Array(n);
  for (let r = 0; r < n; r++) for (let k = start[r]; k < start[r + 1]; k++) rowOf[k] = r;
  const ys = new Float64Array(n);
  const idx = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    ys[q] = data.y[rowOf[q]];
    idx[q] = q;
  }
  const orders = sorted.map((s) => {
    if (!s) return null;
    const out = new Int32Array(n);
    let k = 0;
    for (const r of s) for (let q = start[r]; q < start[r + 1]; q++) out[k++] = q;
    return out;
  });
  // Feature values by bootstrap position, so split scans read one array instead of two.
  const xs = data.columns.map((col) => {
    const a = new Float64Array(n);
    for (let q = 0; q < n; q++) a[q] = col[rowOf[q]];
    return a;
  });
  const oob: number[] = [];
  for (let r = 0; r < n; r++) if (counts[r] === 0) oob.push(r);

  const tree: Tree = { feature: [], threshold: [], catLeft: [], left: [], right: [], value: [], count: [], gain: [], oob: Int32Array.from(oob) };
  const goLeft = new Uint8Array(n);
  const buffer = new Int32Array(n);
  const features = Array.from({ length: p }, (_, f) => f);
  const stack: [node: number, lo: number, hi: number, depth: number][] = [];
  const newNode = () => {
    tree.feature.push(-1);
    tree.threshold.push(NaN);
    tree.catLeft.push(null);
    tree.left.push(-1);
    tree.right.push(-1);
    tree.value.push(NaN);
    tree.count.push(0);
    tree.gain.push(0);
    return tree.feature.length - 1;
  };
  stack.push([newNode(), 0, n, 0]);
  while (stack.length) {
    const [node, lo, hi, depth] = stack.pop()!;
    let sum = 0;
    let sumSq = 0;
    for (let k = lo; k < hi; k++) {
      const v = ys[idx[k]];
      sum += v;
      sumSq += v * v;
    }
    const m = hi - lo;
    tree.value[node] = sum / m;
    tree.count[node] = m;
    const sse = sumSq - (sum * sum) / m;
    if (m < 2 * minLeaf || depth >= maxDepth || sse <= 1e-12 * Math.max(1, Math.abs(sumSq))) continue;
    if (mtry < p) for (let i = 0; i < mtry; i++) {
      const j = i + randomInt(rng, p - i);
      [features[i], features[j]] = [features[j], features[i]];
    }
    let bestGain = 1e-12 * Math.max(1, sse);
    let bestF = -1;
    let bestThr = NaN;
    let bestSet: Uint8Array | null = null;
    const parent = (sum * sum) / m;
    for (let fi = 0; fi < mtry; fi++) {
      const f = features[fi];
      const x_ = xs[f];
      const ord = orders[f];
      if (ord) {
        let sl = 0;
        for (let k = lo; k < hi - 1; k++) {
          const q = ord[k];
          sl += ys[q];
          const nl = k - lo + 1;
          const x = x_[q];
          const xNext = x_[ord[k + 1]];
          if (x === xNext || nl < minLeaf || m - nl < minLeaf) continue;
          const sr = sum - sl;
          const g = (sl * sl) / nl + (sr * sr) / (m - nl) - parent;
          if (g > bestGain) {
            bestGain = g;
            bestF = f;
            bestThr = (x + xNext) / 2;
            bestSet = null;
          }
        }
      } else {
        const split = bestCategoricalSplit(x_, data.levels[f], idx, lo, hi, ys, minLeaf, sum, parent);
        if (split && split.gain > bestGain) {
          bestGain = split.gain;
          bestF = f;
          bestThr = NaN;
          bestSet = split.left;
        }
      }
    }
    if (bestF < 0) continue;
    tree.feature[node] = bestF;
    tree.threshold[node] = bestThr;
    tree.catLeft[node] = bestSet;
    tree.gain[node] = bestGain;
    const xb = xs[bestF];
    let nLeft = 0;
    for (let k = lo; k < hi; k++) {
      const q = idx[k];
      const x = xb[q];
      const l = bestSet ? bestSet[x] === 1 : x <= bestThr;
      goLeft[q] = l ? 1 : 0;
      nLeft += goLeft[q];
    }
    partition(idx, lo, hi, goLeft, buffer);
    for (const ord of orders) if (ord) partition(ord, lo, hi, goLeft, buffer);
    const l = newNode();
    const r = newNode();
    tree.left[node] = l;
    tree.right[node] = r;
    stack.push([r, lo + nLeft, hi, depth + 1], [l, lo, lo + nLeft, depth + 1]);
  }
  return tree;
}

/** Stable partition of a[lo, hi) by goLeft[a[k]]. */
function partition(a: Int32Array, lo: number, hi: number, goLeft: Uint8Array, buffer: Int32Array): void {
  let w = lo;
  let b = 0;
  for (let k = lo; k < hi; k++) {
    const q = a[k];
    if (goLeft[q]) a[w++] = q;
    else buffer[b++] = q;
  }
  for (let k = 0; k < b; k++) a[w + k] = buffer[k];
}

function bestCategoricalSplit(
  xs: Float64Array,
  nLevels: number,
  idx: Int32Array,
  lo: number,
  hi: number,
  ys: Float64Array,
  minLeaf: number,
  sum: number,
  parent: number,
): { gain: number; left: Uint8Array } | null {
  const s = new Float64Array(nLevels);
  const c = new Float64Array(nLevels);
  for (let k = lo; k < hi; k++) {
    const q = idx[k];
    const lv = xs[q];
    s[lv] += ys[q];
    c[lv]++;
  }
  const present = [];
  for (let l = 0; l < nLevels; l++) if (c[l] > 0) present.push(l);
  if (present.length < 2) return null;
  present.sort((a, b) => s[a] / c[a] - s[b] / c[b] || a - b);
  const m = hi - lo;
  let sl = 0;
  let nl = 0;
  let best = -Infinity;
  let cut = -1;
  for (let i = 0; i < present.length - 1; i++) {
    sl += s[present[i]];
    nl += c[present[i]];
    if (nl < minLeaf || m - nl < minLeaf) continue;
    const sr = sum - sl;
    const g = (sl * sl) / nl + (sr * sr) / (m - nl) - parent;
    if (g > best) {
      best = g;
      cut = i;
    }
  }
  if (cut < 0) return null;
  const left = new Uint8Array(nLevels);
  for (let i = 0; i <= cut; i++) left[present[i]] = 1;
  // Levels never seen at this node go right (they are not in the left set).
  return { gain: best, left };
}

/** Prediction of one tree for row `row`; features flagged in `swap` read their value from `swapRow`. */
export function predictTree(tree: Tree, columns: Float64Array[], row: number, swap?: Uint8Array, swapRow = row): number {
  let node = 0;
  while (tree.feature[node] >= 0) {
    const f = tree.feature[node];
    const x = columns[f][swap && swap[f] ? swapRow : row];
    const set = tree.catLeft[node];
    node = (set ? set[x] === 1 : x <= tree.threshold[node]) ? tree.left[node] : tree.right[node];
  }
  return tree.value[node];
}
