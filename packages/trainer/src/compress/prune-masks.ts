// Pruning masks (1 keeps, 0 removes) by variable name. Unstructured: the smallest-magnitude weights
// of each linear layer. Structured: whole hidden neurons (FFN / MLP units: a column of the layer in,
// its bias and the row of the layer out) or whole attention heads (their q/k/v columns and o rows),
// ranked by the L2 norm of everything they own.
import type { LoadedModel, TransformerConfig } from "../types";
import { linearLayers } from "./dense-model";

export type PruneGranularity = "unstructured" | "neurons" | "heads";
export type Masks = Map<string, Uint8Array>;

/** How many of `n` items a sparsity removes: round(s·n), so the target is reached exactly. */
export function pruneCount(n: number, sparsity: number): number {
  if (!(sparsity >= 0 && sparsity < 1)) throw new Error(`sparsity: expected a number in [0, 1), got ${JSON.stringify(sparsity)}`);
  return Math.round(sparsity * n);
}

/** Indices of the `k` smallest scores (ties broken by lower index first, so results are deterministic). */
function smallest(scores: Float64Array | Float32Array, k: number): Int32Array {
  const idx = Int32Array.from(scores.keys());
  idx.sort((a, b) => scores[a] - scores[b] || a - b);
  return idx.slice(0, k);
}

export function magnitudeMask(values: Float32Array, sparsity: number): Uint8Array {
  const mags = Float32Array.from(values, Math.abs);
  const mask = new Uint8Array(values.length).fill(1);
  for (const i of smallest(mags, pruneCount(values.length, sparsity))) mask[i] = 0;
  return mask;
}

/** A structural unit: the entries of each variable it owns. */
interface Unit {
  parts: { name: string; indices: number[] }[];
}

function column(shape: number[], col: number): number[] {
  return Array.from({ length: shape[0] }, (_, r) => r * shape[1] + col);
}
function row(shape: number[], r: number): number[] {
  return Array.from({ length: shape[1] }, (_, c) => r * shape[1] + c);
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

/** Groups of units pruned together at one sparsity (one group per layer). */
function unitGroups(model: LoadedModel, g: Exclude<PruneGranularity, "unstructured">): Unit[][] {
  const shape = (n: string) => model.weights.get(n)!.shape as number[];
  const cfg = model.config;
  const groups: Unit[][] = [];
  if (g === "heads") {
    if (cfg.family !== "transformer") throw new Error(`granularity 'heads' needs a transformer model; '${model.name}' is an MLP (use 'neurons')`);
    const t = cfg as TransformerConfig;
    const hd = t.width / t.heads;
    for (let i = 0; i < t.layers; i++) {
      const p = `blocks.${i}.attn`;
      groups.push(
        Array.from({ length: t.heads }, (_, h) => {
          const cols = range(h * hd, (h + 1) * hd);
          const parts = ["q", "k", "v"].flatMap((x) => [
            { name: `${p}.${x}.weight`, indices: cols.flatMap((c) => column(shape(`${p}.${x}.weight`), c)) },
            { name: `${p}.${x}.bias`, indices: cols },
          ]);
          parts.push({ name: `${p}.o.weight`, indices: cols.flatMap((r) => row(shape(`${p}.o.weight`), r)) });
          return { parts };
        }),
      );
    }
    return groups;
  }
  const pairs: [string, string][] = [];
  if (cfg.family === "transformer") for (let i = 0; i < cfg.layers; i++) pairs.push([`blocks.${i}.ffn.up`, `blocks.${i}.ffn.down`]);
  else cfg.hidden.forEach((_, i) => pairs.push([`mlp.${i}`, i + 1 < cfg.hidden.length ? `mlp.${i + 1}` : "head"]));
  for (const [inn, out] of pairs) {
    const units = shape(`${inn}.weight`)[1];
    groups.push(
      Array.from({ length: units }, (_, u) => ({
        parts: [
          { name: `${inn}.weight`, indices: column(shape(`${inn}.weight`), u) },
          { name: `${inn}.bias`, indices: [u] },
          { name: `${out}.weight`, indices: row(shape(`${out}.weight`), u) },
        ],
      })),
    );
  }
  return groups;
}

/** Masks that reach `sparsity` in every layer: of the weights (unstructured) or of the units. */
export function computeMasks(model: LoadedModel, granularity: PruneGranularity, sparsity: number): Masks {
  const masks: Masks = new Map();
  if (granularity === "unstructured") {
    for (const layer of linearLayers(model)) {
      const name = `${layer}.weight`;
      masks.set(name, magnitudeMask(model.weights.get(name)!.dataSync() as Float32Array, sparsity));
    }
    return masks;
  }
  if (granularity !== "neurons" && granularity !== "heads") {
    throw new Error(`granularity: expected 'unstructured', 'neurons' or 'heads', got ${JSON.stringify(granularity)}`);
  }
  const data = new Map<string, Float32Array>();
  const values = (n: string) => {
    let d = data.get(n);
    if (!d) data.set(n, (d = model.weights.get(n)!.dataSync() as Float32Array));
    return d;
  };
  for (const units of unitGroups(model, granularity)) {
    const scores = Float64Array.from(units, (u) => Math.sqrt(u.parts.reduce((s, p) => s + p.indices.reduce((a, i) => a + values(p.name)[i] ** 2, 0), 0)));
    for (const u of smallest(scores, pruneCount(units.length, sparsity))) {
      for (const p of units[u].parts) {
        let m = masks.get(p.name);
        if (!m) masks.set(p.name, (m = new Uint8Array(values(p.name).length).fill(1)));
        for (const i of p.indices) m[i] = 0;
      }
    }
  }
  return masks;
}

/** Fraction of masked-out entries over every masked variable. */
export function maskSparsity(masks: Masks): number {
  let zeros = 0;
  let total = 0;
  for (const m of masks.values()) {
    total += m.length;
    for (const v of m) zeros += v === 0 ? 1 : 0;
  }
  return total ? zeros / total : 0;
}
